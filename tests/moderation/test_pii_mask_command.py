"""`manage.py pii_mask`: standard input to standard output, one masked line per line."""

import io

import pytest
from django.core.management import CommandError, call_command

from ecoute.moderation.masking import mask_personal_data


def run(stdin, *args):
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("pii_mask", *args, stdin=stdin, stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


LINES = [
    "Bonjour, je suis Mme Martin, tél 06 12 34 56 78.",
    "rien ici, appelez le 3949",
    "",
    "j habite 12 rue des lilas 69003 lyon, allocataire n° 1234567",
]


@pytest.mark.parametrize("batch_size", ["1", "2", "256"])
def test_each_line_is_masked_as_before_storage(batch_size):
    stdin = io.BytesIO("\n".join(LINES).encode("utf-8") + b"\n")
    out, err, error = run(stdin, "--batch-size", batch_size)
    assert error is None and err == ""
    assert out.splitlines() == [mask_personal_data(line).text for line in LINES]
    assert "Martin" not in out and "06 12 34 56 78" not in out and "1234567" not in out
    assert "3949" in out


def test_text_stream_and_windows_line_endings():
    out, _err, error = run(io.StringIO("Mme Martin\r\nM. Dupont\r\n"))
    assert error is None
    assert out == "Mme [nom masqué]\nM. [nom masqué]\n"


def test_a_line_that_is_not_utf8_is_named_and_left_empty():
    stdin = io.BytesIO(b"Mme Martin\n\xff\xfe caf\xe9\nM. Dupont\n")
    out, err, error = run(stdin)
    assert out.splitlines() == ["Mme [nom masqué]", "", "M. [nom masqué]"]
    assert "ligne 2" in err and "UTF-8" in err and "Traceback" not in err
    assert error is not None and "1 ligne(s)" in str(error)


def test_batch_size_must_be_positive():
    _out, _err, error = run(io.StringIO("x\n"), "--batch-size", "0")
    assert error is not None and "--batch-size" in str(error)
