"""Reading the static player's markup (cnnlib.animate) in tests: its JSON data,
its stored images, and the picture it shows for a stored frame."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np


def data_of(markup: str) -> dict:
    """The player's data: the JSON it carries beside its script."""
    m = re.search(r'<script type="application/json">(.*?)</script>', markup, re.S)
    assert m, "no player data in the markup"
    return json.loads(m.group(1).replace("<\\/", "</"))


def description(data: dict, i: int) -> str:
    """The words the player shows for state ``i``: ``prefix`` and the
    ``parts`` that ``text[i]`` lists."""
    return data["prefix"] + "".join(data["parts"][k] for k in data["text"][i])


def decode(url: str) -> np.ndarray:
    """A ``data:`` URL (PNG or WebP) as an RGBA float array."""
    from PIL import Image

    head, b64 = url.split(",", 1)
    assert head in ("data:image/png;base64", "data:image/webp;base64")
    with Image.open(io.BytesIO(base64.b64decode(b64))) as im:
        return np.asarray(im.convert("RGBA")).astype(np.float64)


def layers(data: dict, frame: int) -> list:
    """The patches shown for stored frame ``frame``: those of its base frames
    (``bases``, -1 ends the chain), then its own."""
    out: list = []
    while frame >= 0:
        out[:0] = data["frames"][frame]
        frame = data["bases"][frame]
    return out


def compose(data: dict, frame: int) -> np.ndarray:
    """What the browser shows for stored frame ``frame``: the background
    (``images[0]``), then each patch ``(image, x, y, w, h)`` of
    :func:`layers` blended over it by its alpha; an RGB float array."""
    out = decode(data["images"][0])[..., :3].copy()
    for img, x, y, w, h in layers(data, frame):
        patch = decode(data["images"][img])
        assert patch.shape[:2] == (h, w)
        a = patch[..., 3:] / 255
        out[y:y + h, x:x + w] = a * patch[..., :3] + (1 - a) * out[y:y + h, x:x + w]
    return out
