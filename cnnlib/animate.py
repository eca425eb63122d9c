"""Static animations of :class:`cnnlib.viz.Drawing` objects for the rendered book.

:func:`animation` steps a drawing through its frames and embeds them in
matplotlib's JavaScript HTML player, which carries its own slider and play
buttons, so a reader of the static book can scrub through a figure with no
running kernel. The player's HTML is then made self-contained and accessible:
the external icon font is dropped (buttons get inline SVG icons), the frame
image gets the drawing's alt text, and the slider gets a label.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

from matplotlib.animation import HTMLWriter

from cnnlib.validation import as_int, as_real, check_choice, check_instance
from cnnlib.viz.core.base import Drawing

__all__ = ["AnimationHTML", "animation", "make_accessible"]

# Icons for the player's buttons, replacing the Font Awesome icons that
# matplotlib loads from a CDN (the book loads nothing from third parties).
# Inline SVG rather than text symbols: media-control glyphs such as U+23EE
# are missing from many fonts and would show as empty boxes.
_SVG = ('<svg aria-hidden="true" focusable="false" width="14" height="14" '
        'viewBox="0 0 16 16" fill="currentColor" style="vertical-align:middle">'
        "{}</svg>")
_ICONS = {
    "fa-minus": '<rect x="2" y="7" width="12" height="2"/>',
    "fa-fast-backward": '<rect x="1" y="2" width="2" height="12"/>'
                        '<path d="M9 2 3 8l6 6zM15 2 9 8l6 6z"/>',
    "fa-step-backward": '<rect x="3" y="2" width="2" height="12"/>'
                        '<path d="M13 2 5 8l8 6z"/>',
    "fa-play fa-flip-horizontal": '<path d="M12 2 4 8l8 6z"/>',
    "fa-pause": '<rect x="3" y="2" width="3.5" height="12"/>'
                '<rect x="9.5" y="2" width="3.5" height="12"/>',
    "fa-play": '<path d="M4 2l8 6-8 6z"/>',
    "fa-step-forward": '<path d="M3 2l8 6-8 6z"/>'
                       '<rect x="11" y="2" width="2" height="12"/>',
    "fa-fast-forward": '<path d="M1 2l6 6-6 6zM7 2l6 6-6 6z"/>'
                       '<rect x="13" y="2" width="2" height="12"/>',
    "fa-plus": '<rect x="2" y="7" width="12" height="2"/>'
               '<rect x="7" y="2" width="2" height="12"/>',
}


class AnimationHTML:
    """HTML of an animation; displays itself in notebooks and in the book."""

    def __init__(self, html_text: str, n_frames: int):
        check_instance(html_text, "html_text", str, "a str")
        n_frames = as_int(n_frames, "n_frames", 1)
        self.html = html_text
        self.n_frames = n_frames

    def _repr_html_(self) -> str:
        return self.html

    def __len__(self) -> int:
        """The number of frames (not the length of the markup: see ``.html``)."""
        return self.n_frames


def make_accessible(player: str, alt: str, label: str) -> str:
    """Make matplotlib's ``to_jshtml`` output self-contained and accessible.

    Removes every ``<link>`` to an external stylesheet, swaps the icon-font
    glyphs for inline SVG icons, gives the frame ``<img>`` its ``alt`` text
    and the range slider an ``aria-label``. Raises ``ValueError`` if the
    player's markup is not what this function knows (so a matplotlib change
    cannot pass silently).
    """
    for name, value in (("player", player), ("alt", alt), ("label", label)):
        check_instance(value, name, str, "a str")
    out, n_links = re.subn(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>", "", player)
    if n_links == 0 and "https://" in player:
        raise ValueError("player: an external URL remains that is not a <link>")

    def icon(match: re.Match) -> str:
        classes = match.group(1).replace("fa ", "", 1).strip()
        if classes not in _ICONS:
            raise ValueError(f"player: unknown icon class {classes!r}")
        return _SVG.format(_ICONS[classes])

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
    # the loop-mode radio buttons are a radio group, not a form landmark (two
    # animations on a page would otherwise be two landmarks with one name)
    out = out.replace('<form title="Repetition mode"',
                      '<form role="radiogroup" title="Repetition mode"')
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
    if frames is not None and not isinstance(frames, (list, tuple)):
        raise TypeError(f"frames: expected a list of dicts, got {type(frames).__name__}")
    frames = drawing.frames() if frames is None else list(frames)
    if not frames:
        raise ValueError("frames: expected at least one frame, got none")
    for k, frame in enumerate(frames):
        check_instance(frame, f"frames[{k}]", dict, "a dict of parameter values")
        try:
            drawing.check_values(**frame)  # every frame, before any is drawn
        except (TypeError, ValueError) as err:
            raise type(err)(f"frames[{k}]: {err}") from None
    interval = as_int(interval, "interval", 1)
    for name, value in (("caption", caption), ("label", label)):
        if value is not None:
            check_instance(value, name, str, "a str or None")
    if dpi is not None:
        dpi = as_real(dpi, "dpi", low=1.0, high=1200.0)
    check_choice(default_mode, "default_mode", ("once", "loop", "reflect"))
    if not drawing.alt:
        raise ValueError(f"drawing: {type(drawing).__name__} has no alt text")
    before = drawing.state
    old_dpi = drawing.fig.dpi
    # matplotlib's HTML writer, fed frame by frame: no Animation object, so no
    # timer or draw handler is left on the figure (it lives only as HTML)
    writer = HTMLWriter(fps=1000 / interval, embed_frames=True,
                        default_mode=default_mode)
    try:
        drawing.fig.set_dpi(dpi or old_dpi)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "player.html")
            with writer.saving(drawing.fig, path, drawing.fig.dpi):
                for frame in frames:
                    drawing.update(**frame)
                    writer.grab_frame()
            player = path.read_text()
    finally:
        drawing.fig.set_dpi(old_dpi)
        drawing.update(**before)
    player = make_accessible(player, drawing.alt, label or f"Frame of: {drawing.alt}")
    if caption:
        player = (f'<figure class="cnnlib-animation">{player}'
                  f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    return AnimationHTML(player, len(frames))
