// Answer forms of the book's exercises (cnnlib.exercises.forms.answer_form).
//
// A form's keys arrive as JSON (AnswerKey.to_json) in <div class="answer-form">.
// This script builds the inputs (one per number, laid out like the answer),
// and judges an answer with the decisions and the words of the Python checker:
// judge() is AnswerKey.judge, verdict() is cnnlib.exercises.common.verdict,
// compare() is common.compare; tests/test_answer_forms.py runs them under node
// and holds their sentences equal to Python's. readCell() reads what a reader
// typed; anything that is not a plain finite number is "not yet", never an error.
(function (api) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (typeof document !== "undefined") {
    const start = () => document.querySelectorAll("div.answer-form").forEach(
      (el) => { try { api.buildForm(el); } catch (err) { el.hidden = true; } });
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
}((function () {
  "use strict";

  // ---- numbers written as Python writes them ("{:.4g}", "{:.1e}") ----------

  // x (finite, > 0) as digits D and exponent E: x = 0.D x 10^(E+1), exactly
  // (a double is m 2^e, and 2^-k = 5^k / 10^k).
  function exactDigits(x) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0), lo = view.getUint32(4);
    const bits = (hi >>> 20) & 0x7ff;
    let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    if (bits) m |= 1n << 52n;
    const e = (bits || 1) - 1075;
    const n = e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e);
    const digits = n.toString();
    return [digits, digits.length - 1 - (e >= 0 ? 0 : -e)];
  }

  // x rounded to p significant digits, half to even: [digits, exponent].
  function roundDigits(x, p) {
    let [d, e] = exactDigits(x);
    if (d.length > p) {
      const rest = d.slice(p).replace(/0+$/, "");
      let head = BigInt(d.slice(0, p));
      const half = rest[0] > "5" || (rest[0] === "5" &&
        (rest.length > 1 || head % 2n === 1n));
      if (half) head += 1n;
      d = head.toString();
      if (d.length > p) { d = d.slice(0, p); e += 1; }
    }
    return [d.padEnd(p, "0"), e];
  }

  function special(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    return null;
  }

  function expText(e) {
    return (e < 0 ? "e-" : "e+") + String(Math.abs(e)).padStart(2, "0");
  }

  // Python's format(x, ".{p}g")
  function fmtG(x, p) {
    const s = special(x);
    if (s) return s;
    const sign = x < 0 || Object.is(x, -0) ? "-" : "";
    if (x === 0) return sign + "0";
    const [d, e] = roundDigits(Math.abs(x), p);
    const strip = (t) => t.replace(/0+$/, "");
    if (e >= -4 && e < p) {
      const whole = e >= 0 ? d.slice(0, e + 1) : "0";
      const frac = strip(e >= 0 ? d.slice(e + 1) : "0".repeat(-e - 1) + d);
      return sign + whole + (frac ? "." + frac : "");
    }
    const frac = strip(d.slice(1));
    return sign + d[0] + (frac ? "." + frac : "") + expText(e);
  }

  // Python's format(x, ".1e")
  function fmtE1(x) {
    const s = special(x);
    if (s) return s;
    const sign = x < 0 || Object.is(x, -0) ? "-" : "";
    if (x === 0) return sign + "0.0e+00";
    const [d, e] = roundDigits(Math.abs(x), 2);
    return sign + d[0] + "." + d[1] + expText(e);
  }

  const index = (idx) => "[" + idx.join(", ") + "]";
  const tuple = (t) => "(" + t.join(", ") + (t.length === 1 ? ",)" : ")");

  // common._cap: upper-case the first letter unless the first word is code
  function cap(text) {
    text = text.trim();
    const first = text.split(" ", 1)[0];
    if (first.endsWith(":") || /[_(/[^]/.test(first)) return text;
    return text.slice(0, 1).toUpperCase() + text.slice(1);
  }

  // ---- arrays: shape, flat entries ------------------------------------------

  function shapeOf(v) {
    const shape = [];
    while (Array.isArray(v)) { shape.push(v.length); v = v[0]; }
    return shape;
  }

  function flat(v) {
    return Array.isArray(v) ? v.flatMap(flat) : [v];
  }

  function unravel(i, shape) {
    const idx = [];
    for (let k = shape.length - 1; k >= 0; k--) {
      idx.unshift(i % shape[k]);
      i = Math.floor(i / shape[k]);
    }
    return idx;
  }

  // ---- common.compare and Comparison.describe -------------------------------

  function compare(given, expected, atol, rtol) {
    const gs = shapeOf(given), es = shapeOf(expected);
    if (gs.join() !== es.join()) {
      return { shapeOk: false, close: false, givenShape: gs, expectedShape: es };
    }
    const g = flat(given), e = flat(expected);
    let n = 0, best = -Infinity, at = 0, exact = true;
    e.forEach((ei, i) => {
      let d = Math.abs(g[i] - ei);
      // NaN is never within
      if (!(d <= atol + rtol * Math.abs(ei))) n += 1;
      if (g[i] !== ei) exact = false;
      if (Number.isNaN(d)) d = Infinity;
      // the first largest, as np.argmax
      if (d > best) { best = d; at = i; }
    });
    return { shapeOk: true, close: n === 0, exact, nDiffer: n, size: e.length,
             largest: Math.max(best, 0), where: es.length ? unravel(at, es) : [] };
  }

  function describe(c) {
    if (!c.shapeOk) {
      return `Expected shape ${tuple(c.expectedShape)}, given ${tuple(c.givenShape)}.`;
    }
    if (c.exact) return "Exact.";
    if (c.close) return `Close (largest difference ${fmtE1(c.largest)}).`;
    if (c.size === 1 && !c.where.length) {
      return `It differs from the right value by ${fmtG(c.largest, 4)}.`;
    }
    return `${c.nDiffer} of ${c.size} entries differ; the largest difference, ` +
      `${fmtG(c.largest, 4)}, is at ${index(c.where)}.`;
  }

  // ---- AnswerKey.read, for values already read from the page ----------------

  function readNumber(v) {
    if (typeof v !== "number") return [null, "Give one number."];
    if (!Number.isFinite(v)) return [null, `The value is ${special(v)}: give a finite number.`];
    return [v, null];
  }

  function readCount(v) {
    const [x, why] = readNumber(v);
    if (why) return [null, why.replace("Give one number", "Give a whole number")];
    if (!Number.isInteger(x)) return [null, `${fmtG(x, 4)} is not a whole number: a count is.`];
    return [x, null];
  }

  function readArray(v) {
    const entries = flat(v);
    const bad = entries.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      const shape = shapeOf(v);
      const where = shape.length ? `Entry ${index(unravel(bad, shape))}` : "The value";
      return [null, `${where} is ${special(entries[bad])}: give finite numbers.`];
    }
    return [v, null];
  }

  function readShape(v) {
    for (const n of v) {
      if (!Number.isInteger(n) || n < 0) {
        return [null, `Each size of a shape is a whole number >= 0; ${n} is not.`];
      }
    }
    return [v, null];
  }

  function readOption(v, options) {
    const letters = options.map((o) => `"${o}"`).join(", ");
    const letter = String(v).trim().toLowerCase().replace(/^[().]+|[().]+$/g, "").trim();
    if (!options.includes(letter)) return [null, `Give one of ${letters}.`];
    return [letter, null];
  }

  function read(key, v) {
    switch (key.kind) {
      case "count": return readCount(v);
      case "number": return readNumber(v);
      case "array": return readArray(v);
      case "shape": return readShape(v);
      case "option": return readOption(v, key.options);
      // "shapes"
      default: {
        for (const s of v) {
          const [, why] = readShape(s);
          if (why) return [null, why];
        }
        return [v, null];
      }
    }
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function differs(key, got) {
    const a = key.answer;
    if (key.kind === "count") return got > a ? "Too large." : "Too small.";
    if (key.kind === "shape" && got.length !== a.length) {
      return `Give ${a.length} sizes, given ${got.length}.`;
    }
    if (key.kind === "shapes") {
      if (got.length !== a.length) return `Give ${a.length} shapes, given ${got.length}.`;
      return `Shape ${got.findIndex((g, i) => !same(g, a[i]))} (counting from 0) ` +
        "is not right.";
    }
    return "";
  }

  // AnswerKey.judge: [ok, why]
  function judge(key, value) {
    const [got, why] = read(key, value);
    if (why) return [false, why];
    if (key.kind === "number" || key.kind === "array") {
      const c = compare(got, key.answer, key.atol, key.rtol);
      if (c.close) return [true, key.right];
      for (const m of key.mistakes) {
        if (compare(got, m.answer, key.atol, key.rtol).close) return [false, m.says];
      }
      return [false, (describe(c) + " " + (c.shapeOk ? key.hint : "")).trim()];
    }
    if (same(got, key.answer)) return [true, key.right];
    for (const m of key.mistakes) {
      if (same(got, read(key, m.answer)[0])) return [false, m.says];
    }
    return [false, (differs(key, got) + " " + key.hint).trim()];
  }

  const message = (ok, text) => ((ok ? "Right. " : "Not yet. ") + cap(text)).trim();

  // common.verdict: [ok, message] for one checker's keys and their values
  function verdict(keys, values) {
    const verdicts = keys.map((k, i) => judge(k, values[i]));
    if (verdicts.every((v) => v[0])) {
      return [true, message(true, [...new Set(keys.map((k) => k.right))].join(" "))];
    }
    if (keys.length === 1) return [false, message(false, verdicts[0][1])];
    return [false, message(false, keys.map((k, i) => verdicts[i][0] ? null :
      `${k.label || k.argument}: ${cap(verdicts[i][1])}`).filter(Boolean).join(" "))];
  }

  // ---- reading what a reader typed ------------------------------------------

  const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  // beyond it a count is no longer exact; no answer is near
  const LIMIT = 1e15;

  // [number, null] or [null, why] for the text of one box called `where`
  // (a lone box has no name: the verdict names its part)
  function readCell(text, where) {
    const t = String(text).trim().replace(/\u2212/g, "-");
    const at = where ? `${where}: ` : "";
    if (!t) return [null, `${where || "The box"} is empty: type a number there.`];
    if (!NUMBER.test(t)) {
      return [null, `${at}"${t.slice(0, 20)}" is not a number; type digits, ` +
        "such as 3, -0.5 or 1.5e-3."];
    }
    const x = Number(t);
    if (!(Math.abs(x) < LIMIT)) {
      return [null, `${at}${t.slice(0, 20)} is too large; type a number ` +
        "between -10^15 and 10^15."];
    }
    return [x, null];
  }

  // ---- the form in the page -------------------------------------------------

  let serial = 0;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  function box(label, numeric) {
    return el("input", { type: "text", class: "af-cell", "aria-label": label,
      autocomplete: "off", spellcheck: "false",
      inputmode: numeric ? "numeric" : "text" });
  }

  // inputs laid out like `answer`: one box a number, 2-d blocks in a grid
  function arrayInputs(name, blockName, answer, boxes) {
    const shape = shapeOf(answer);
    const grid = (prefix, rows, cols) => {
      const g = el("div", { class: "af-grid", style: `--af-cols:${cols}` });
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const idx = shape.length === 1 ? [...prefix, j] : [...prefix, i, j];
          const b = box(`${name} ${index(idx)}`, false);
          boxes.push(b);
          g.append(b);
        }
      }
      return g;
    };
    if (shape.length <= 1) return grid([], 1, shape[0] || 1);
    if (shape.length === 2) return grid([], shape[0], shape[1]);
    const lead = shape.slice(0, -2), [r, c] = shape.slice(-2);
    const outer = el("div", { class: "af-blocks",
      style: `--af-cols:${lead.length > 1 ? lead[lead.length - 1] : lead[0]}` });
    const count = lead.reduce((a, b) => a * b, 1);
    for (let k = 0; k < count; k++) {
      const prefix = unravel(k, lead);
      outer.append(el("div", { class: "af-block" }, [
        el("span", { class: "af-block-name", text: `${blockName}${index(prefix)}` }),
        grid(prefix, r, c)]));
    }
    return outer;
  }

  // one part of the form (one key); returns its element and a reader of it
  function part(key, n, several) {
    const id = `af-${serial}-${n}`;
    const name = several ? (key.label || key.argument) : "Your answer";
    const wrap = el("div", { class: "af-part", role: "group", "aria-labelledby": id },
      [el("span", { class: "af-label", id, text: name })]);
    const boxes = [];
    if (key.kind === "option") {
      const list = el("div", { class: "af-options" });
      key.options.forEach((o) => list.append(el("label", { class: "af-option" }, [
        el("input", { type: "radio", name: id, value: o }), ` (${o})`])));
      wrap.append(list);
      return [wrap, () => {
        const on = list.querySelector("input:checked");
        return on ? [on.value, null] : [null, "choose one of the options " +
          key.options.map((o) => `(${o})`).join(", ") + "."];
      }];
    }
    if (key.kind === "count" || key.kind === "number") {
      const b = box(name, key.kind === "count");
      wrap.append(b);
      return [wrap, () => readCell(b.value, "")];
    }
    if (key.kind === "array") {
      const cells = name === "Your answer" ? "Entry" : name;
      wrap.append(arrayInputs(cells, key.label || key.argument, key.answer, boxes));
      return [wrap, () => {
        const values = [];
        for (const b of boxes) {
          const [x, why] = readCell(b.value, b.getAttribute("aria-label"));
          if (why) return [null, why];
          values.push(x);
        }
        const shape = shapeOf(key.answer);
        const nest = (v, dims) => dims.length <= 1 ? v : Array.from(
          { length: dims[0] }, (_, i) => nest(v.slice(i * v.length / dims[0],
            (i + 1) * v.length / dims[0]), dims.slice(1)));
        return [shape.length ? nest(values, shape) : values[0], null];
      }];
    }
    // "shape" (one row of sizes) or "shapes" (one row a shape): one box more
    // than the longest known shape; empty boxes at the end are not sizes
    const shapes = key.kind === "shape" ? [key.answer] : key.answer;
    const known = [key.answer, ...key.mistakes.map((m) => m.answer)];
    const width = 1 + Math.max(...known.flatMap((a) => key.kind === "shape" ?
      [a.length] : a.map((s) => s.length)));
    const rows = shapes.map((_, i) => {
      const row = el("div", { class: "af-shape" });
      const mine = [];
      const what = key.kind === "shape" ? "Size" : `Shape ${i}, size`;
      if (key.kind === "shapes") row.append(el("span", { class: "af-shape-name", text: `${i}:` }));
      for (let j = 0; j < width; j++) {
        const b = box(`${what} ${j}`, true);
        mine.push(b);
        row.append(b);
      }
      wrap.append(row);
      return mine;
    });
    return [wrap, () => {
      const out = [];
      for (const [i, all] of rows.entries()) {
        let n = all.length;
        while (n > 0 && !all[n - 1].value.trim()) n -= 1;
        if (!n) {
          return [null, `${key.kind === "shape" ? "The shape" : `Shape ${i}`} ` +
            "is empty: type its sizes."];
        }
        const sizes = [];
        for (const b of all.slice(0, n)) {
          const [x, why] = readCell(b.value, b.getAttribute("aria-label"));
          if (why) return [null, why];
          if (!Number.isInteger(x) || x < 0) {
            return [null, "Each size of a shape is a whole number >= 0; " +
              `${b.value.trim()} is not.`];
          }
          sizes.push(x);
        }
        out.push(sizes);
      }
      return [key.kind === "shape" ? out[0] : out, null];
    }];
  }

  function buildForm(host) {
    const keys = JSON.parse(host.querySelector("script").textContent);
    serial += 1;
    const several = keys.length > 1;
    const parts = keys.map((k, n) => part(k, n, several));
    const out = el("p", { class: "af-verdict", "aria-live": "polite" });
    const form = el("form", { class: "af-form", novalidate: "",
      "aria-label": `Answer to Exercise ${keys[0].exercise}` },
    [...parts.map((p) => p[0]),
      el("div", { class: "af-actions" }, [el("button", { type: "submit", text: "Check" })]),
      out]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      let text = null, ok = false;
      const values = [];
      for (let i = 0; i < parts.length && text === null; i++) {
        const [v, why] = parts[i][1]();
        if (why) text = message(false, several ? `${keys[i].label || keys[i].argument}: ${cap(why)}` : why);
        values.push(v);
      }
      if (text === null) [ok, text] = verdict(keys, values);
      // the same sentence twice is announced again: vary it invisibly
      if (out.textContent.trim() === text) text += "\u00a0";
      out.textContent = text;
      out.className = "af-verdict " + (ok ? "af-right" : "af-wrong");
    });
    // Enter checks from a radio button too (browsers differ there)
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.type === "radio") {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    host.append(form);
    host.hidden = false;
    // the exercise's worked solution (a dropdown just above) goes below the form
    const cell = host.closest(".cell");
    const prev = cell && cell.previousElementSibling;
    if (prev && prev.matches(".dropdown, details") &&
        /solution/i.test(prev.textContent.slice(0, 200))) {
      cell.after(prev);
    }
  }

  return { fmtG, fmtE1, cap, compare, describe, judge, verdict, readCell, buildForm };
}())));
