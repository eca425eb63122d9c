"""Compact images of a drawing's frames, for the static player of the book.

A grid drawing has few colours and changes little from one frame to the next,
so its frames are stored as one background image (the drawing in its initial
state) and, for every other frame, a few small patches: the rectangles where
that frame differs from its base. The base is the background, or, for a frame
added with a ``group``, the key frame of that group (its first frame, itself
stored as patches over the background): frames that share a setting differ
little from each other but much from the background. Identical frames and
identical patches are stored once. Each image is a palette PNG (exact when it
has at most 256 colours; else reduced to the nearest of 128 colours, without
dithering) or lossless WebP, whichever is smaller, so text stays crisp.

A drawing that knows which of its marks move can give a frame in layers
instead (:meth:`FrameSet.add_layers`): a scene, stored as above, and RGBA
sprites laid over it; a sprite is stored once, however many frames show it
and wherever they show it (the chapter 7 explorer's window of nine taps is one
sprite for all 36 cells it can lie on).

Frames are rendered at :data:`SCALE` image pixels per CSS pixel, so they stay
sharp on high-density screens and when the reader zooms in.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["SCALE", "FrameSet", "compact_png", "encode_image", "figure_text_points",
           "render_rgb"]

#: Image pixels per displayed CSS pixel.
SCALE = 2
#: Side of the tiles (image pixels) in which frames are compared with the
#: background; a patch covers whole changed tiles, merged into rectangles.
TILE = 16
#: Colours kept in a frame image that has more than 256 (anti-aliased edges of
#: many colours); fewer colours compress better, and 128 keep text crisp.
MANY_COLOURS = 128
#: Pixels round each changed pixel that a patch keeps opaque.
OPAQUE_MARGIN = 4
#: A patch costs about this many bytes on its own (headers, markup), so two
#: patches are merged when the area they would add costs less than that.
_PATCH_OVERHEAD_PX = 3000


def _check_figure(fig) -> None:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")


def render_rgb(fig: Figure) -> np.ndarray:
    """The figure drawn at its current dpi as an (H, W, 3) uint8 array."""
    _check_figure(fig)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def _colours(img: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pixel values of ``img`` (packed into uint32) and each
    pixel's index into them."""
    packed = np.zeros(img.shape[:2], dtype=np.uint32)
    for k in range(img.shape[2]):
        packed = (packed << 8) | img[..., k]
    return np.unique(packed.ravel(), return_inverse=True)


def _reduce(img: np.ndarray, n: int = MANY_COLOURS) -> np.ndarray:
    """``img`` unchanged if it has at most 256 colours, else mapped to the
    nearest of ``n`` colours chosen for it, without dithering (the extra
    colours are the blends along anti-aliased edges; text keeps its shape and
    contrast). An alpha channel is kept as it is."""
    from PIL import Image

    if len(_colours(img)[0]) <= 256:
        return img
    # colours from the RGB of the shown pixels only; the alpha (0 or 255 in
    # patches) is kept exactly, or a quantiser would blend it into the colours
    rgb = np.ascontiguousarray(img[..., :3])
    index = np.asarray(Image.fromarray(rgb, mode="RGB").quantize(
        n, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)).ravel()
    # each chosen colour becomes the commonest true colour it stands for, so
    # the white ground and the text keep their exact colours
    colours, which = _colours(rgb)
    true = colours[which]
    keys, counts = np.unique(index.astype(np.uint64) << 32 | true, return_counts=True)
    best = {}
    for key, c in zip(keys.tolist(), counts.tolist(), strict=True):
        k = key >> 32
        if c > best.get(k, (0, 0))[0]:
            best[k] = (c, key & 0xFFFFFFFF)
    lut = np.zeros(256, dtype=np.uint32)
    for k, (_, colour) in best.items():
        lut[k] = colour
    chosen = lut[index]
    out = np.stack([(chosen >> 16) & 255, (chosen >> 8) & 255, chosen & 255],
                   axis=1).astype(np.uint8).reshape(rgb.shape)
    if img.shape[2] == 3:
        return out
    alpha = img[..., 3:]
    return np.concatenate([np.where(alpha > 0, out, 0), alpha], axis=2).astype(np.uint8)


def _palette_png(img: np.ndarray) -> bytes:
    """``img`` (at most 256 colours) as an exact palette PNG."""
    from PIL import Image

    h, w, n = img.shape
    colours, index = _colours(img)
    if len(colours) > 256:
        raise ValueError(f"img: expected at most 256 colours, got {len(colours)}")
    pil = Image.fromarray(index.reshape(h, w).astype(np.uint8), mode="P")
    channels = np.stack([(colours >> (8 * (n - 1 - k))) & 255 for k in range(n)],
                        axis=1).astype(np.uint8)
    pil.putpalette(channels.ravel().tolist(), rawmode="RGBA" if n == 4 else "RGB")
    buf = io.BytesIO()
    pil.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _webp(img: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img, mode="RGBA" if img.shape[2] == 4 else "RGB").save(
        buf, format="WEBP", lossless=True, quality=50, method=4)
    return buf.getvalue()


def encode_image(img) -> str:
    """The (H, W, 3) or (H, W, 4) uint8 image ``img`` (RGB or RGBA) as the
    shorter of a palette PNG and a lossless WebP, as a ``data:`` URL. An image
    of more than 256 colours is first reduced to :data:`MANY_COLOURS`."""
    img = np.ascontiguousarray(img)
    if img.ndim != 3 or img.shape[2] not in (3, 4) or img.dtype != np.uint8:
        raise ValueError(f"img: expected an (H, W, 3) or (H, W, 4) uint8 array, got "
                         f"shape {img.shape} of {img.dtype}")
    img = _reduce(img)
    options = [("image/png", _palette_png(img)), ("image/webp", _webp(img))]
    mime, data = min(options, key=lambda o: len(o[1]))
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def compact_png(data: bytes) -> bytes:
    """The PNG ``data`` as a palette PNG: exact when it has at most 256
    colours, else reduced to 256 (see :func:`_reduce`); the original if that
    is shorter."""
    from PIL import Image, UnidentifiedImageError

    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data: expected PNG bytes, got {type(data).__name__}")
    try:
        with Image.open(io.BytesIO(data)) as im:
            rgba = np.asarray(im.convert("RGBA"))
    except (UnidentifiedImageError, OSError) as err:
        raise ValueError(f"data: not a readable image ({err})") from None
    img = rgba if np.any(rgba[..., 3] < 255) else np.ascontiguousarray(rgba[..., :3])
    try:  # 255 colours and transparent black
        return min(_palette_png(_reduce(img, 255)), data, key=len)
    except ValueError:  # partly transparent pixels of many kinds: keep as is
        return data


def _boxes(changed: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rectangles (r0, c0, r1, c1), in tiles, covering the true cells of the
    tile mask ``changed``: its connected parts, merged while merging is cheap."""
    from scipy import ndimage

    labels, _ = ndimage.label(changed, structure=np.ones((3, 3)))
    boxes = [(s[0].start, s[1].start, s[0].stop, s[1].stop)
             for s in ndimage.find_objects(labels)]

    def area(b):
        return (b[2] - b[0]) * (b[3] - b[1])

    merged = True
    while merged and len(boxes) > 1:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                u = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                overlap = not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1]
                               or b[3] <= a[1])
                extra = (area(u) - area(a) - area(b)) * TILE * TILE
                if overlap or extra < _PATCH_OVERHEAD_PX:
                    boxes[i] = u
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes


@dataclass
class FrameSet:
    """Frames stored as a background, key frames and per-frame patches.

    Frame ``f`` is shown by drawing the background, then the layers of its
    base frame ``bases[f]`` (recursively; -1: none), then its own patches.

    Attributes
    ----------
    width, height : int
        Size of every frame in image pixels.
    images : list of str
        ``data:`` URLs; ``images[0]`` is the background.
    frames : list of list of (int, int, int, int, int)
        For each distinct frame, its patches as ``(image, x, y, w, h)`` in
        image pixels (x to the right, y down from the top left corner).
    bases : list of int
        For each distinct frame, the frame its patches are laid on (-1: the
        background itself).
    """

    width: int = 0
    height: int = 0
    images: list[str] = field(default_factory=list)
    frames: list[list[tuple[int, int, int, int, int]]] = field(default_factory=list)
    bases: list[int] = field(default_factory=list)
    _background: np.ndarray | None = field(default=None, repr=False)
    _frame_ids: dict = field(default_factory=dict, repr=False)
    _image_ids: dict = field(default_factory=dict, repr=False)
    _keys: dict = field(default_factory=dict, repr=False)
    _pixels: dict = field(default_factory=dict, repr=False)
    _last_scene: tuple | None = field(default=None, repr=False)

    def _image(self, rgb: np.ndarray) -> int:
        key = hashlib.sha1(np.ascontiguousarray(rgb).tobytes()
                           + repr(rgb.shape).encode()).hexdigest()
        if key not in self._image_ids:
            self._image_ids[key] = len(self.images)
            self.images.append(encode_image(rgb))
        return self._image_ids[key]

    def add(self, rgb: np.ndarray, group=None) -> int:
        """Store the frame ``rgb`` ((H, W, 3) uint8; the first one added is the
        background) and return its index in ``frames`` (equal frames share
        one index). A frame with a hashable ``group`` is patched over the first
        frame of its group (the group's key frame); other frames, key frames
        included, over the background."""
        rgb = np.asarray(rgb)
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"rgb: expected an (H, W, 3) uint8 array, got shape "
                             f"{rgb.shape} of {rgb.dtype}")
        if group is not None:
            try:
                hash(group)
            except TypeError:
                raise TypeError(f"group: expected a hashable value, got "
                                f"{type(group).__name__}") from None
        key = hashlib.sha1(np.ascontiguousarray(rgb).tobytes()).hexdigest()
        if key in self._frame_ids:
            index = self._frame_ids[key]
            if group is not None and group not in self._keys:
                self._keys[group] = index
                self._pixels[index] = rgb
            return index
        base = -1
        if self._background is None:
            self.height, self.width = rgb.shape[:2]
            self._background = rgb
            self._image(rgb)
            patches = []
        else:
            if rgb.shape != self._background.shape:
                raise ValueError(f"rgb: expected shape {self._background.shape} like "
                                 f"the background, got shape {rgb.shape}")
            ref = self._background
            if group in self._keys:
                base = self._keys[group]
                ref = self._pixels[base]
            patches = self._patches(rgb, ref)
        index = self._frame_ids[key] = len(self.frames)
        self.frames.append(patches)
        self.bases.append(base)
        if group is not None and group not in self._keys:
            self._keys[group] = index
            self._pixels[index] = rgb
        return index

    def add_layers(self, scene, sprites) -> int:
        """Store a frame given in layers: ``scene`` ((H, W, 3) uint8, stored
        with :meth:`add`, so the first one is the background and equal scenes
        are stored once) with the ``sprites`` laid over it in order, each
        ``(rgba, x, y)``: an (h, w, 4) uint8 image whose top left pixel goes
        to column ``x``, row ``y``, blended by its alpha. A sprite is stored
        once however many frames show it, wherever they show it. Returns the
        frame's index in ``frames`` (its base is the scene's frame)."""
        if not isinstance(sprites, (list, tuple)):
            raise TypeError(f"sprites: expected a list of (rgba, x, y), got "
                            f"{type(sprites).__name__}")
        scene_rgb = np.asarray(scene)
        patches = []
        for k, item in enumerate(sprites):
            if not (isinstance(item, (list, tuple)) and len(item) == 3):
                raise TypeError(f"sprites[{k}]: expected (rgba, x, y), got {item!r}")
            rgba, x, y = np.asarray(item[0]), item[1], item[2]
            if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
                raise ValueError(f"sprites[{k}]: expected an (h, w, 4) uint8 "
                                 f"image, got shape {rgba.shape} of {rgba.dtype}")
            h, w = rgba.shape[:2]
            x, y = int(x), int(y)
            if (scene_rgb.ndim < 2 or x < 0 or y < 0 or x + w > scene_rgb.shape[1]
                    or y + h > scene_rgb.shape[0]):
                raise ValueError(f"sprites[{k}]: a {w}x{h} image at ({x}, {y}) "
                                 f"does not fit the scene of shape "
                                 f"{scene_rgb.shape}")
            patches.append((rgba, x, y, w, h))
        # the same scene array as last time (a drawing hands it over again
        # while its setting stays) need not be hashed again
        last = self._last_scene
        if last is not None and last[0] is scene:
            base = last[1]
        else:
            base = self.add(scene_rgb)
            self._last_scene = (scene, base)
        if not patches:
            return base
        stored = [(self._image(rgba), x, y, w, h) for rgba, x, y, w, h in patches]
        key = ("layers", base, tuple(stored))
        if key not in self._frame_ids:
            self._frame_ids[key] = len(self.frames)
            self.frames.append(stored)
            self.bases.append(base)
        return self._frame_ids[key]

    def _patches(self, rgb: np.ndarray, ref: np.ndarray) -> list:
        """The patches that turn ``ref`` into ``rgb``."""
        from scipy import ndimage

        diff = np.any(rgb != ref, axis=2)
        opaque = ndimage.binary_dilation(diff, np.ones((3, 3), bool),
                                         iterations=OPAQUE_MARGIN)
        th, tw = -(-self.height // TILE), -(-self.width // TILE)
        padded = np.zeros((th * TILE, tw * TILE), dtype=bool)
        padded[:self.height, :self.width] = diff
        tiles = padded.reshape(th, TILE, tw, TILE).any(axis=(1, 3))
        patches = []
        for r0, c0, r1, c1 in _boxes(tiles):
            y0, x0 = r0 * TILE, c0 * TILE
            y1, x1 = min(r1 * TILE, self.height), min(c1 * TILE, self.width)
            # pixels equal to the base are left transparent: they cost almost
            # nothing, and the base shows through. Those near a change stay
            # opaque: a browser that scales the patch would blend the base
            # into its edges (faint ghosts).
            shown = opaque[y0:y1, x0:x1]
            patch = np.concatenate(
                [rgb[y0:y1, x0:x1], 255 * shown[..., None].astype(np.uint8)], axis=2)
            patch[~shown] = 0
            patches.append((self._image(patch), x0, y0, x1 - x0, y1 - y0))
        return patches

    def layers(self, frame: int) -> list[tuple[int, int, int, int, int]]:
        """Every patch drawn over the background to show ``frame``, in order:
        its base's layers, then its own patches."""
        out: list = []
        while frame >= 0:
            out[:0] = self.frames[frame]
            frame = self.bases[frame]
        return out

    @property
    def n_bytes(self) -> int:
        """Characters of every stored ``data:`` URL (what the page carries)."""
        return sum(len(u) for u in self.images)


def figure_text_points(fig: Figure) -> list[float]:
    """Font sizes (points) of every text the figure may show: its non-empty
    matplotlib texts (visible or not: a frozen background hides them) and the
    sizes recorded by :class:`~cnnlib.viz.core.text.PathText` and
    :class:`~cnnlib.viz.core.text.TextGrid` for non-empty strings."""
    _check_figure(fig)
    sizes = [float(t.get_fontsize()) for t in fig.findobj(Text) if t.get_text()]
    sizes += [float(s) for s in getattr(fig, "_cnnlib_text_points", ())]
    return sizes
