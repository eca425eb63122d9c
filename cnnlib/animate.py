"""Static animations of :class:`cnnlib.viz.Drawing` objects for the rendered book.

:func:`animation` steps a drawing through its frames and embeds them in
matplotlib's JavaScript HTML player, which carries its own slider and play
buttons, so a reader of the static book can scrub through a figure with no
running kernel. The player's HTML is then made self-contained and accessible:
the external icon font is dropped (buttons get text symbols), the frame image
gets the drawing's alt text, and the slider gets a label.
"""

from __future__ import annotations

import html
import re

from matplotlib.animation import FuncAnimation

from cnnlib.viz.base import Drawing

# Text symbols for the player's buttons, replacing the Font Awesome icons that
# matplotlib loads from a CDN (the book loads nothing from third parties).
_ICONS = {
    "fa-minus": "\u2212",
    "fa-fast-backward": "\u23ee",
    "fa-step-backward": "\u25c0\u2502",
    "fa-play fa-flip-horizontal": "\u25c0",
    "fa-pause": "\u23f8",
    "fa-play": "\u25b6",
    "fa-step-forward": "\u2502\u25b6",
    "fa-fast-forward": "\u23ed",
    "fa-plus": "+",
}


class AnimationHTML:
    """HTML of an animation; displays itself in notebooks and in the book."""

    def __init__(self, html_text: str, n_frames: int):
        self.html = html_text
        self.n_frames = n_frames

    def _repr_html_(self) -> str:
        return self.html

    def __len__(self) -> int:
        return len(self.html)


def make_accessible(player: str, alt: str, label: str) -> str:
    """Make matplotlib's ``to_jshtml`` output self-contained and accessible.

    Removes every ``<link>`` to an external stylesheet, swaps the icon-font
    glyphs for text, gives the frame ``<img>`` its ``alt`` text and the range
    slider an ``aria-label``. Raises ``ValueError`` if the player's markup is
    not what this function knows (so a matplotlib change cannot pass silently).
    """
    out, n_links = re.subn(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>", "", player)
    if n_links == 0 and "https://" in player:
        raise ValueError("player: an external URL remains that is not a <link>")

    def icon(match: re.Match) -> str:
        classes = match.group(1).replace("fa ", "", 1).strip()
        if classes not in _ICONS:
            raise ValueError(f"player: unknown icon class {classes!r}")
        return f'<span aria-hidden="true">{_ICONS[classes]}</span>'

    out = re.sub(r'<i class="(fa [^"]*)"></i>', icon, out)
    out, n_img = re.subn(
        r'<img id="(_anim_img[0-9a-f]+)"',
        lambda m: f'<img id="{m.group(1)}" alt="{html.escape(alt, quote=True)}"',
        out,
    )
    out, n_slider = re.subn(
        r'<input id="(_anim_slider[0-9a-f]+)" type="range"',
        lambda m: (f'<input id="{m.group(1)}" type="range" '
                   f'aria-label="{html.escape(label, quote=True)}"'),
        out,
    )
    if n_img != 1 or n_slider != 1:
        raise ValueError(
            f"player: expected one frame image and one slider, found {n_img} and "
            f"{n_slider}"
        )
    if re.search(r"https?://", out):
        raise ValueError("player: an external URL remains after clean-up")
    return out


def animation(drawing: Drawing, frames: list[dict] | None = None, *,
              interval: int = 800, caption: str | None = None,
              label: str | None = None, dpi: float | None = None,
              default_mode: str = "once") -> AnimationHTML:
    """Play ``drawing`` through ``frames`` as a self-contained HTML animation.

    Parameters
    ----------
    drawing : Drawing
    frames : list of dict, optional
        Parameter values of each frame; default ``drawing.frames()``.
    interval : int
        Milliseconds between frames when playing.
    caption : str, optional
        Shown under the player in a ``<figcaption>``.
    label : str, optional
        Accessible name of the frame slider (default: "Frame of: " + alt).
    dpi : float, optional
        Resolution of the embedded frames (default the figure's), which sets
        the page weight.
    default_mode : {"once", "loop", "reflect"}

    Returns
    -------
    AnimationHTML
        Displays as the player; ``.html`` is its markup.
    """
    if not isinstance(drawing, Drawing):
        raise TypeError(f"drawing: expected a cnnlib.viz.Drawing, got {type(drawing)}")
    frames = drawing.frames() if frames is None else list(frames)
    if not frames:
        raise ValueError("frames: expected at least one frame, got none")
    if not drawing.alt:
        raise ValueError(f"drawing: {type(drawing).__name__} has no alt text")
    before = drawing.state

    def step(i):
        drawing.update(**frames[i])
        return []

    anim = FuncAnimation(drawing.fig, step, frames=len(frames), interval=interval,
                         repeat=False, blit=False)
    if dpi is not None:
        old_dpi = drawing.fig.dpi
        drawing.fig.set_dpi(dpi)
    try:
        player = anim.to_jshtml(default_mode=default_mode)
    finally:
        if dpi is not None:
            drawing.fig.set_dpi(old_dpi)
        anim.event_source = None
        drawing.update(**before)
    player = make_accessible(player, drawing.alt, label or f"Frame of: {drawing.alt}")
    if caption:
        player = (f'<figure class="cnnlib-animation">{player}'
                  f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    return AnimationHTML(player, len(frames))
