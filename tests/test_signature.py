"""A result's signature: one line and a dictionary, the same for the same settings."""

from __future__ import annotations

from align.signature import signature_of


def test_the_one_line_form_names_version_encoder_and_sorted_settings() -> None:
    signature = signature_of("1.0", "use-multilingual-v3", "0123abcd", {"max-bead": 2, "decisions": "d.json"})

    assert str(signature) == "align:1.0|encoder:use-multilingual-v3@0123abcd|decisions:d.json|max-bead:2"
    assert signature.as_dict()["settings"] == {"decisions": "d.json", "max-bead": 2}
    assert signature.as_dict()["text"] == str(signature)


def test_the_same_settings_in_another_order_sign_alike_and_booleans_read_yes_no() -> None:
    one = signature_of("1", "e", "f", {"b": True, "a": False})
    two = signature_of("1", "e", "f", {"a": False, "b": True})

    assert str(one) == str(two) == "align:1|encoder:e@f|a:no|b:yes"
