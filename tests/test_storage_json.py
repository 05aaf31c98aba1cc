"""Library JSON a person typed or edited: one message naming the place and what to do."""

from __future__ import annotations

import pytest

from reslib.errors import InvalidInput
from reslib.storage import parse_json


def test_broken_json_is_one_message_naming_the_place_and_what_to_do() -> None:
    assert parse_json(b'{"a": 1}', "x") == {"a": 1}
    with pytest.raises(InvalidInput) as bad_json:
        parse_json('{\n"a": }', "record r1", "fix the file")
    assert bad_json.value.message.startswith("record r1: invalid JSON at line 2 column 6 (")
    assert bad_json.value.message.endswith("): fix the file")
    with pytest.raises(InvalidInput) as bad_bytes:
        parse_json(b'{"a": "\xff"}', "record r1")
    assert bad_bytes.value.message == "record r1: not UTF-8 (byte 7)"
