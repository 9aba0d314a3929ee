"""A result's signature (as sacrebleu's): align's version, the encoder and its fingerprint, and every setting
that changes the result, in one short line and as a dictionary."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

SIGNATURE_FORMAT = "align-signature/1"


@dataclass(frozen=True)
class Signature:
    """Who made a result and with which settings; `str()` gives the one-line form, e.g.
    `align:0.1.0|encoder:use-multilingual-v3@3f2a9c1b|max-bead:2|threshold:0.25|…`."""

    version: str
    encoder: str  # the encoder's name, e.g. "use-multilingual-v3" or "st:/models/labse"
    fingerprint: str  # a short hash of the encoder's weights or its package version
    settings: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __str__(self) -> str:
        parts = [f"align:{self.version}", f"encoder:{self.encoder}@{self.fingerprint}"]
        parts += [f"{name}:{value_text(value)}" for name, value in self.settings.items()]
        return "|".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The signature as JSON-ready data (the `signature` object of JSON outputs and signature.json)."""
        return {
            "format": SIGNATURE_FORMAT,
            "align": self.version,
            "encoder": self.encoder,
            "encoder_fingerprint": self.fingerprint,
            "settings": dict(self.settings),
            "text": str(self),
        }


def value_text(value: Any) -> str:
    """A setting's value as it appears in the one-line signature (booleans as yes/no)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def signature_of(version: str, encoder: str, fingerprint: str, settings: dict[str, Any]) -> Signature:
    """A Signature whose settings are sorted by name (so the same settings always give the same line)."""
    return Signature(version, encoder, fingerprint, MappingProxyType(dict(sorted(settings.items()))))
