"""The static player of a :class:`cnnlib.viz.Drawing`, for the rendered book.

:func:`animation` precomputes the drawing's frame for every combination of its
parameters and writes a small self-contained player around them: the controls
of the live panel (:func:`cnnlib.widgets.interactive`), one integer slider per
integer :class:`~cnnlib.viz.Param` and one group of option buttons per option
``Param``, plus Play/Pause, which steps through :meth:`Drawing.frames` in order.
Moving a control shows that combination's frame at once, with no kernel. A
status line (``aria-live``) and the frame's alt text say in words what the
figure shows (:meth:`Drawing.describe`). The player's script and style are
written here and travel with it: nothing is loaded from another server.

Frames are stored compactly (:mod:`cnnlib.viz.encode`): a background at two
image pixels per CSS pixel, a key frame per combination of the option
parameters (patches over the background), and per-frame patches over their key
frame, decoded only when their frame is first shown. A drawing with a
``frame_layers()`` method (:class:`cnnlib.viz.LayerExplorer`) gives each frame
in layers instead, a scene and the sprites that move over it, and each sprite
is stored once wherever it lies (:meth:`~cnnlib.viz.encode.FrameSet.add_layers`).

In Python compiled to WebAssembly (the chapter run live in the browser, where
the live panel above each player shows the same figure), :func:`animation`
checks its arguments and returns a short note instead: precomputing every frame
there would hold the chapter up for minutes.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
import re
import sys

from cnnlib.validation import as_int, as_real, check_choice, check_instance
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.encode import SCALE, FrameSet, figure_text_points, render_rgb

__all__ = ["MIN_NARROW_TEXT_PX", "AnimationHTML", "animation", "player_data"]

#: Smallest figure text (CSS px) the player lets a narrow screen shrink to; a
#: wider figure scrolls sideways in its own box instead.
MIN_NARROW_TEXT_PX = 9.0

_COUNTER = itertools.count()
#: Where a description is cut into the pieces stored once: after ". " and ", ".
_PIECE = re.compile(r"(?<=\. )|(?<=, )")

_STYLE = """
.cnnlib-player{margin:1em 0;max-width:100%}
.cnnlib-player-controls{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;
 margin-bottom:6px}
.cnnlib-player-slider{display:flex;align-items:center;gap:0 8px;flex:1 1 300px;
 max-width:100%}
.cnnlib-player-slider input[type=range]{height:44px;min-width:90px;flex:1 1 140px;
 margin:0;cursor:pointer}
.cnnlib-player-slider output{min-width:2.5ch;font-variant-numeric:tabular-nums}
.cnnlib-player fieldset{border:0;margin:0;padding:0;min-width:0;display:flex;
 flex-wrap:wrap;align-items:center;gap:4px}
.cnnlib-player legend{float:left;margin-right:8px;font-size:inherit;padding:0}
.cnnlib-player-option{display:inline-flex;align-items:center;gap:6px;min-height:44px;
 min-width:44px;padding:0 12px;border:1px solid #6b7280;border-radius:6px;
 cursor:pointer;box-sizing:border-box;margin:0}
.cnnlib-player-option:has(input:checked){background:#e8f1fa;border-color:#0072b2;
 font-weight:600}
.cnnlib-player-play{display:inline-flex;align-items:center;gap:6px;min-height:44px;
 min-width:88px;padding:0 14px;border:1px solid #6b7280;border-radius:6px;
 background:#f6f8fa;color:#1f2328;cursor:pointer;font:inherit}
.cnnlib-player input:focus-visible,.cnnlib-player-play:focus-visible,
.cnnlib-player-view:focus-visible{outline:3px solid #d55e00;outline-offset:2px}
.cnnlib-player-view{overflow-x:auto;max-width:100%}
.cnnlib-player-stage{position:relative;max-width:100%;line-height:0;background:#fff}
.cnnlib-player-stage img{display:block;width:100%;height:auto;margin:0;
 max-width:none}
.cnnlib-player-stage img+img{position:absolute}
.cnnlib-player-stage img[hidden]{display:none}
.cnnlib-player-hint{display:none;font-size:.85em;margin:2px 0}
.cnnlib-player.is-panned .cnnlib-player-hint{display:block}
.cnnlib-player-status{margin:6px 0;font-size:.9em}
"""

# One function per player; kept in plain ES2017 so every current browser runs it.
_SCRIPT = """
(function () {
  var fig = document.getElementById(%(id)s);
  if (!fig || fig.dataset.ready) return;
  fig.dataset.ready = "1";
  var D = JSON.parse(fig.querySelector("script[type='application/json']").textContent);
  var stage = fig.querySelector(".cnnlib-player-stage");
  var view = fig.querySelector(".cnnlib-player-view");
  var frame = stage.querySelector("img");
  var status = fig.querySelector(".cnnlib-player-status");
  var play = fig.querySelector(".cnnlib-player-play");
  var ctls = Array.prototype.slice.call(fig.querySelectorAll("[data-param]"));
  var pool = [], timer = null;
  function get(c) {
    if (c.tagName === "INPUT") return Math.round((c.value - c.min) / c.step);
    var r = c.querySelector("input:checked");
    return r ? +r.value : 0;
  }
  function set(c, v) {
    if (c.tagName === "INPUT") { c.value = +c.min + v * c.step; return; }
    c.querySelectorAll("input")[v].checked = true;
  }
  function combo() {
    return ctls.reduce(function (i, c, k) { return i * D.sizes[k] + get(c); }, 0);
  }
  function show() {
    var i = combo(), f = [];
    for (var b = D.combo[i]; b >= 0; b = D.bases[b]) f = D.frames[b].concat(f);
    for (var k = 0; k < f.length; k++) {
      var p = f[k], img = pool[k];
      if (!img) {
        img = document.createElement("img");
        img.alt = ""; img.decoding = "async";
        img.setAttribute("aria-hidden", "true");
        stage.appendChild(img); pool.push(img);
      }
      img.src = D.images[p[0]];
      img.style.left = (100 * p[1] / D.w) + "%%";
      img.style.top = (100 * p[2] / D.h) + "%%";
      img.style.width = (100 * p[3] / D.w) + "%%";
      img.hidden = false;
    }
    for (k = f.length; k < pool.length; k++) pool[k].hidden = true;
    var text = D.prefix + D.text[i].map(function (k) { return D.parts[k]; }).join("");
    frame.alt = text;
    if (status.textContent !== text) status.textContent = text;
    ctls.forEach(function (c) {
      var o = c.parentNode.querySelector("output");
      if (o) o.textContent = c.value;
    });
    fig.dataset.combo = i;
  }
  function go(i) {
    for (var k = ctls.length - 1; k >= 0; k--) {
      set(ctls[k], i %% D.sizes[k]); i = Math.floor(i / D.sizes[k]);
    }
    show();
  }
  function label(playing) {
    play.querySelector("span").textContent = playing ? "Pause" : "Play";
    play.querySelector("svg").innerHTML = playing ? %(pause)s : %(play)s;
  }
  function stop() { clearInterval(timer); timer = null; label(false); }
  function step() {
    var at = D.play.indexOf(combo());
    if (at + 1 >= D.play.length) { stop(); return; }
    go(D.play[at + 1]);
  }
  play.addEventListener("click", function () {
    if (timer) { stop(); return; }
    var at = D.play.indexOf(combo());
    if (at < 0 || at + 1 >= D.play.length) go(D.play[0]);
    timer = setInterval(step, D.interval); label(true);
  });
  ctls.forEach(function (c) {
    c.addEventListener("input", show);
    c.addEventListener("change", show);
  });
  function pan() {
    var panned = view.scrollWidth > view.clientWidth + 1;
    fig.classList.toggle("is-panned", panned);
    if (panned) view.tabIndex = 0; else view.removeAttribute("tabindex");
  }
  if (window.ResizeObserver) new ResizeObserver(pan).observe(view);
  pan();
  show();
})();
"""

_ICON = ('<svg aria-hidden="true" focusable="false" width="14" height="14" '
         'viewBox="0 0 16 16" fill="currentColor">{}</svg>')
_PLAY = '<path d="M4 2l8 6-8 6z"/>'
_PAUSE = '<rect x="3" y="2" width="3.5" height="12"/><rect x="9.5" y="2" width="3.5" ' \
         'height="12"/>'


class AnimationHTML:
    """HTML of a player; displays itself in notebooks and in the book.

    ``n_frames`` is the number of frames Play steps through; ``n_combinations``
    the number of parameter combinations the controls reach.
    """

    def __init__(self, html_text: str, n_frames: int, n_combinations: int):
        check_instance(html_text, "html_text", str, "a str")
        self.html = html_text
        self.n_frames = as_int(n_frames, "n_frames", 1)
        self.n_combinations = as_int(n_combinations, "n_combinations", 1)

    def _repr_html_(self) -> str:
        return self.html

    def __len__(self) -> int:
        """The number of frames Play steps through (not the length of the
        markup: see ``.html``)."""
        return self.n_frames


def in_browser_python() -> bool:
    """True in Python compiled to WebAssembly (Pyodide, JupyterLite)."""
    return sys.platform == "emscripten"


def _live_note(drawing: Drawing, play: list[dict], caption: str | None,
               reach: str) -> AnimationHTML:
    """What :func:`animation` shows in a live in-browser session: the figure's
    caption and where its controls are, without precomputing frames."""
    n = len(drawing.combinations()) if reach == "all" else len(play)
    esc = html.escape
    caption_html = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    note = (f"In this live session the panel above is this figure, with every "
            f"control; the rendered book shows it as a player of {n} precomputed "
            f"frames, which are not built here.")
    out = (f'<figure class="cnnlib-player-live"><p>{esc(note)}</p>'
           f"{caption_html}</figure>")
    return AnimationHTML(out, len(play), n)


def _control(p: Param, k: int, uid: str) -> str:
    esc = html.escape
    if p.options:
        buttons = "".join(
            f'<label class="cnnlib-player-option"><input type="radio" '
            f'name="{uid}-{k}" value="{i}"{" checked" if v == p.initial else ""}>'
            f"{esc(lab)}</label>"
            for i, (lab, v) in enumerate(p.options))
        return (f'<fieldset role="radiogroup" data-param="{esc(p.name)}">'
                f"<legend>{esc(p.label)}</legend>{buttons}</fieldset>")
    return (f'<div class="cnnlib-player-slider"><label for="{uid}-{k}">'
            f"{esc(p.label)}</label>"
            f'<input type="range" id="{uid}-{k}" data-param="{esc(p.name)}" '
            f'min="{p.min}" max="{p.max}" step="{p.step}" value="{p.initial}">'
            f'<output for="{uid}-{k}" aria-hidden="true">{p.initial}</output></div>')


def _common_prefix(texts: list[str]) -> str:
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def _check_play(drawing: Drawing, play, name: str) -> list[dict]:
    """``play`` as a list of dicts of allowed parameter values, or raise naming
    the argument ``name`` and the frame (every frame is checked before any is
    drawn)."""
    if not isinstance(play, (list, tuple)):
        raise TypeError(f"{name}: expected a list of dicts, got {type(play).__name__}")
    play = list(play)
    if not play:
        raise ValueError(f"{name}: expected at least one frame, got none")
    for k, frame in enumerate(play):
        check_instance(frame, f"{name}[{k}]", dict, "a dict of parameter values")
        try:
            drawing.check_values(**frame)
        except (TypeError, ValueError) as err:
            raise type(err)(f"{name}[{k}]: {err}") from None
    return play


def player_data(drawing: Drawing, play: list[dict], *, css_dpi: float,
                interval: int, reach: str = "all") -> tuple[dict, FrameSet]:
    """Render the states the player's controls reach at ``SCALE * css_dpi`` and
    return the player's data (as written into its JSON) and the frames.

    ``reach="all"``: every combination of ``drawing``'s parameters, one control
    per parameter. ``reach="frames"``: only the states of ``play``, in order,
    behind one "Step" slider (for a drawing with too many combinations to
    store on a page; the live panel reaches them all).

    The data holds ``sizes`` (values per control), ``combo`` (the frame of
    each reached state: in :meth:`Drawing.combinations` order, or in the
    order of ``play``), ``frames`` and ``bases`` (see
    :class:`~cnnlib.viz.encode.FrameSet`), ``images``, ``w``/``h`` (image pixels),
    ``prefix``, ``parts`` and ``text`` (the description of state ``i`` is
    ``prefix`` followed by the ``parts`` listed in ``text[i]``), ``play`` (state
    indices that Play steps through) and ``interval`` (ms).
    """
    if not isinstance(drawing, Drawing):
        raise TypeError(f"drawing: expected a cnnlib.viz.Drawing, got {type(drawing)}")
    play = _check_play(drawing, play, "play")
    css_dpi = as_real(css_dpi, "css_dpi", low=1.0, high=600.0)
    interval = as_int(interval, "interval", 1)
    check_choice(reach, "reach", ("all", "frames"))
    params = drawing.params

    def index(state: dict) -> int:
        i = 0
        for p in params:
            i = i * len(p.values) + p.values.index(state[p.name])
        return i

    if reach == "all":
        combos = drawing.combinations()
        start = index(drawing.defaults())
        play_idx = [index({**drawing.defaults(), **state}) for state in play]
        sizes = [len(p.values) for p in params]
    else:
        combos = [{**drawing.defaults(), **state} for state in play]
        start, play_idx, sizes = 0, list(range(len(play))), [len(play)]
    fs = FrameSet()
    before = drawing.state
    order = [start] + list(range(len(combos)))
    combo_frame: dict[int, int] = {}
    # states with the same options (a setting) share a key frame
    options = [p.name for p in params if p.options]
    # a drawing that draws its frames in layers (a scene and the sprites of
    # what moves over it, see LayerExplorer.frame_layers) is stored that way
    in_layers = getattr(drawing, "frame_layers", None)
    try:
        with drawing.at_dpi(SCALE * css_dpi):
            for i in order:  # the initial state first: it is the background
                if i not in combo_frame:
                    drawing.update(**combos[i])
                    if callable(in_layers):
                        combo_frame[i] = fs.add_layers(*in_layers())
                        continue
                    group = tuple(combos[i][name] for name in options)
                    combo_frame[i] = fs.add(render_rgb(drawing.fig),
                                            group=group if options else None)
    finally:
        drawing.update(**before)
    texts = [drawing.describe(c) for c in combos]
    prefix = _common_prefix(texts) if len(texts) > 1 else ""
    # descriptions repeat their sentences and clauses: each is stored once
    parts: dict[str, int] = {}
    text = [[parts.setdefault(piece, len(parts))
             for piece in _PIECE.split(t[len(prefix):])] for t in texts]
    data = {
        "sizes": sizes,
        "combo": [combo_frame[i] for i in range(len(combos))],
        "frames": fs.frames, "bases": fs.bases, "images": fs.images,
        "w": fs.width, "h": fs.height,
        "prefix": prefix, "parts": list(parts), "text": text,
        "play": play_idx, "interval": int(interval),
    }
    return data, fs


def animation(drawing: Drawing, frames: list[dict] | None = None, *,
              interval: int = 800, caption: str | None = None,
              label: str | None = None, dpi: float | None = None,
              reach: str = "all") -> AnimationHTML:
    """The static player of ``drawing``: its controls, its frames, Play.

    Parameters
    ----------
    drawing : Drawing
    frames : list of dict, optional
        The parameter values Play steps through, in order; default
        ``drawing.frames()``. With ``reach="all"`` the controls reach every
        combination anyway.
    interval : int
        Milliseconds between frames when playing.
    caption : str, optional
        Shown under the player in a ``<figcaption>``.
    label : str, optional
        Accessible name of the group of controls (default "Controls of the
        figure").
    dpi : float, optional
        CSS pixels per inch of the figure as shown (default the figure's own
        dpi); frames are stored at ``SCALE`` times that.
    reach : {"all", "frames"}
        "all": a control per parameter, reaching every combination (each is
        stored). "frames": one "Step" slider over ``frames`` alone, for a
        drawing whose combinations are too many to store on a page.

    Returns
    -------
    AnimationHTML
        Displays as the player; ``.html`` is its markup.
    """
    if not isinstance(drawing, Drawing):
        raise TypeError(f"drawing: expected a cnnlib.viz.Drawing, got {type(drawing)}")
    play = _check_play(drawing, drawing.frames() if frames is None else frames,
                       "frames")
    interval = as_int(interval, "interval", 1)
    for name, value in (("caption", caption), ("label", label)):
        if value is not None:
            check_instance(value, name, str, "a str or None")
    if not drawing.alt:
        raise ValueError(f"drawing: {type(drawing).__name__} has no alt text")
    if not drawing.params:
        raise ValueError(f"drawing: {type(drawing).__name__} has no parameters")
    css_dpi = (float(drawing.fig.dpi) if dpi is None
               else as_real(dpi, "dpi", low=1.0, high=600.0))
    check_choice(reach, "reach", ("all", "frames"))
    if in_browser_python():
        return _live_note(drawing, play, caption, reach)
    data, fs = player_data(drawing, play, css_dpi=css_dpi, interval=interval,
                           reach=reach)
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    uid = "cnnlib-player-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
    uid += f"-{next(_COUNTER)}"
    width = fs.width / SCALE  # CSS px
    text_px = min(figure_text_points(drawing.fig), default=12.0) * css_dpi / 72
    # never narrower than this, or the smallest text drops below 9 CSS px
    min_width = width * MIN_NARROW_TEXT_PX / text_px
    if reach == "all":
        shown, first_state = drawing.params, drawing.defaults()
    else:
        shown = (Param("step", f"Step of {len(play)}", 0, len(play) - 1),)
        first_state = play[0]
    controls = "".join(_control(p, k, uid) for k, p in enumerate(shown))
    esc = html.escape
    first = drawing.describe(first_state)
    script = _SCRIPT % {"id": json.dumps(uid), "play": json.dumps(_PLAY),
                        "pause": json.dumps(_PAUSE)}
    caption_html = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    out = (
        f'<figure class="cnnlib-player cnnlib-animation" id="{uid}" '
        f'data-text-px="{text_px:.2f}" data-width="{width:g}" data-reach="{reach}">'
        f"<style>{_STYLE}</style>"
        f'<div class="cnnlib-player-controls" role="group" '
        f'aria-label="{esc(label or "Controls of the figure", quote=True)}">'
        f"{controls}"
        f'<button type="button" class="cnnlib-player-play">{_ICON.format(_PLAY)}'
        f"<span>Play</span></button></div>"
        f'<p class="cnnlib-player-hint">Scroll the figure sideways to see all of '
        f"it.</p>"
        f'<div class="cnnlib-player-view">'
        f'<div class="cnnlib-player-stage" style="width:{width:g}px;'
        f'min-width:{math.ceil(min_width)}px">'
        f'<img src="{data["images"][0]}" alt="{esc(first, quote=True)}" '
        f'width="{width:g}" height="{fs.height / SCALE:g}"></div></div>'
        f'<p class="cnnlib-player-status" aria-live="polite">{esc(first)}</p>'
        f"{caption_html}"
        f'<script type="application/json">{payload}</script>'
        f"<script>{script}</script></figure>"
    )
    return AnimationHTML(out, len(play), len(data["combo"]))
