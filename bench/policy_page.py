"""The largest baromètre policy page (CH-067, 6 indicators × 101 départements): its size and
render time through the test client, median of 7 after a warm-up. Data: `load_reference_data
--only territories` then `--only barometre`. Run: `.venv/bin/python bench/policy_page.py`."""

import os
import statistics
import time

import django


def main(url: str = "/barometre-resultats/2024/politiques/CH-067/") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.test import Client

    client = Client()
    client.get(url, HTTP_HOST="localhost")
    times = []
    for _ in range(7):
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        times.append(time.perf_counter() - start)
    median, fastest = statistics.median(times) * 1000, min(times) * 1000
    print(f"{len(response.content)} bytes, median {median:.0f} ms, min {fastest:.0f} ms")


if __name__ == "__main__":
    main()
