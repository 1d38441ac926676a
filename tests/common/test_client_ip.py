"""The real client address: X-Forwarded-For is believed only from trusted proxies."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.settings.env import env_networks
from ecoute.common.http import client_ip


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # No trusted proxy: the header is ignored, whatever it says.
        ([], "192.0.2.1", "198.51.100.1", "192.0.2.1"),
        ([], "192.0.2.1", None, "192.0.2.1"),
        # The peer is not a trusted proxy: its header is ignored.
        (["10.0.0.0/8"], "192.0.2.1", "198.51.100.1", "192.0.2.1"),
        # A trusted proxy: the address it received the request from.
        (["10.0.0.0/8"], "10.1.2.3", "198.51.100.1", "198.51.100.1"),
        # What the client wrote itself (left of the real address) is ignored.
        (["10.0.0.0/8"], "10.1.2.3", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        # A chain of trusted proxies is walked from the right.
        (["10.0.0.0/8", "172.16.0.1"], "10.1.2.3", "198.51.100.1, 172.16.0.1", "198.51.100.1"),
        (["10.0.0.0/8"], "10.1.2.3", "198.51.100.1, 10.9.9.9 , 10.8.8.8", "198.51.100.1"),
        # Only proxies: the left-most address they vouch for.
        (["10.0.0.0/8"], "10.1.2.3", "10.5.5.5, 10.4.4.4", "10.5.5.5"),
        # Garbage in the header: the last address vouched for.
        (["10.0.0.0/8"], "10.1.2.3", "198.51.100.1, pas-une-adresse", "10.1.2.3"),
        # A trusted proxy that sends no header.
        (["10.0.0.0/8"], "10.1.2.3", None, "10.1.2.3"),
        (["10.0.0.0/8"], "10.1.2.3", "", "10.1.2.3"),
        # IPv6.
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::5, 2a01:cb00::1", "2a01:cb00::1"),
        (["2001:db8::/32"], "2a01:cb00::1", "198.51.100.1", "2a01:cb00::1"),
    ],
)
def test_client_ip(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


def test_trusted_proxies_setting_is_read_and_checked(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 172.16.0.1 ,2001:db8::/32")
    assert env_networks("TRUSTED_PROXIES", []) == ["10.0.0.0/8", "172.16.0.1/32", "2001:db8::/32"]
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert env_networks("TRUSTED_PROXIES", []) == []
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8,proxy.local")
    with pytest.raises(ImproperlyConfigured, match="proxy.local"):
        env_networks("TRUSTED_PROXIES", [])


def test_rate_limits_key_on_the_client_address(settings):
    assert settings.RATELIMIT_IP_META_KEY == "ecoute.common.http.client_ip"
