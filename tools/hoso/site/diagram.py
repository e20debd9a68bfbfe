"""The state diagram of a procedure, drawn to inline SVG in Python at build time.

A simple layered layout: steps reachable from the opening events go top to bottom by their
longest distance from an opening event (edges that go back up are drawn as arcs on the right),
end states are rounded boxes of their own, and steps that may be taken from any open stage
stand in a row at the bottom. No JavaScript, no fonts, nothing fetched: the page carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from hoso.procedure import Procedure

NODE_W, NODE_H = 250, 46
GAP_X, GAP_Y = 40, 40  # two lines of edge labels fit between two rows
MARGIN = 20
LINE_CHARS = 36
FONT = 13  # px in the drawing; it is never shown smaller than MIN_FONT px (it scrolls instead)
MIN_FONT = 12
CHAR_W = 8.0  # a generous width of one character at FONT px, for placing edge labels
# The diagram carries its own style (the theme's colours, light and dark), so a page needs no
# stylesheet besides the theme's, in either language's build.
STYLE = (
    ".hoso-figure { overflow-x: auto; margin: 1em 0; } "
    f"svg.hoso-diagram {{ height: auto; font-family: inherit; font-size: {FONT}px; }} "
    ".hoso-node rect { fill: var(--md-default-bg-color); stroke: var(--md-primary-fg-color); stroke-width: 1.5; } "
    ".hoso-node text { fill: var(--md-default-fg-color); } "
    ".hoso-end rect { fill: var(--md-default-fg-color--lightest); stroke: var(--md-default-fg-color--light); stroke-dasharray: 4 3; } "
    ".hoso-current rect { fill: var(--md-accent-fg-color--transparent); stroke: var(--md-accent-fg-color); stroke-width: 3; } "
    "a:hover .hoso-node rect, a:focus .hoso-node rect { stroke-width: 3; } "
    ".hoso-edge { fill: none; stroke: var(--md-default-fg-color--light); stroke-width: 1.3; } "
    ".hoso-arrowhead { fill: var(--md-default-fg-color--light); } "
    ".hoso-edge-label, .hoso-note { fill: var(--md-default-fg-color--light); } "
    ".hoso-edge-label { paint-order: stroke; stroke: var(--md-default-bg-color); stroke-width: 4px; stroke-linejoin: round; } "
)
NOTE = {"vi": "Ghi được khi hồ sơ đang mở, theo điều kiện riêng của từng bước (bấm để xem):",
        "en": "May be recorded while the case is open, each on its own condition (click to see):"}


@dataclass
class Node:
    name: str
    label: str
    end: bool
    layer: int = 0
    col: int = 0

    @property
    def x(self) -> int:
        return MARGIN + self.col * (NODE_W + GAP_X)

    @property
    def y(self) -> int:
        return MARGIN + self.layer * (NODE_H + GAP_Y)


def edges(proc: Procedure, lang: str = "vi") -> list[tuple[str, str, str]]:
    """(from, to, condition label) for every step and end state; ``previous`` ends are left out."""
    out: list[tuple[str, str, str]] = []
    for name, ev in proc.events.items():
        for n in ev.next or []:
            out.append((name, n, ""))
        for t in ev.transitions or []:
            label = ", ".join(_value_label(proc, name, k, v, lang) for k, v in (t.when or {}).items())
            for n in t.next or []:
                out.append((name, n, label))
            if t.end and t.end != "previous":
                out.append((name, t.end, label))
            if t.repeat:
                out.append((name, name, label))
    for name, end in proc.end_states.items():
        for n in end.next:
            out.append((name, n, ""))
    return list(dict.fromkeys(out))


def _value_label(proc: Procedure, event: str, fname: str, value: object, lang: str) -> str:
    spec = proc.all_fields(event).get(fname)
    if spec is not None and spec.vocabulary and isinstance(value, str):
        return proc.label(spec.vocabulary, value, lang)
    return str(value)


def layout(proc: Procedure, lang: str = "vi") -> tuple[list[Node], list[Node]]:
    """The layered nodes, and the nodes reachable from any open stage (bottom row)."""
    succ: dict[str, list[str]] = {}
    for a, b, _ in edges(proc):
        if a != b:
            succ.setdefault(a, []).append(b)
    order: list[str] = []
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}

    def dfs(n: str) -> None:
        state[n] = 1
        for m in succ.get(n, []):
            if state.get(m) == 1:
                back.add((n, m))
            elif m not in state:
                dfs(m)
        state[n] = 2
        order.append(n)

    for start in proc.opening_events():
        if start not in state:
            dfs(start)
    layer = {n: 0 for n in order}
    for n in reversed(order):  # topological order once back edges are ignored
        for m in succ.get(n, []):
            if (n, m) not in back:
                layer[m] = max(layer[m], layer[n] + 1)
    nodes = [Node(n, _label(proc, n, lang), n in proc.end_states, layer[n]) for n in reversed(order)]
    nodes.sort(key=lambda nd: (nd.layer, nd.end, _step(proc, nd.name)))
    cols: dict[int, int] = {}
    for nd in nodes:
        nd.col = cols.get(nd.layer, 0)
        cols[nd.layer] = nd.col + 1
    bottom = max((nd.layer for nd in nodes), default=-1) + 1
    width = max(2, max(cols.values(), default=1))  # the bottom row wraps to the graph's width
    loose = [Node(n, _label(proc, n, lang), False, bottom + i // width, i % width)
             for i, n in enumerate(n for n in proc.ordered_events() if n not in layer)]
    return nodes, loose


def _step(proc: Procedure, name: str) -> int:
    ev = proc.events.get(name)
    return ev.step if ev is not None and ev.step is not None else 999


def _label(proc: Procedure, name: str, lang: str) -> str:
    ev = proc.events.get(name)
    title = proc.stage_title(name, lang)
    return f"{ev.step}. {title}" if ev is not None and ev.step is not None else title


def wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])[: width - 1] + "…"]
    return lines


Box = tuple[float, float, float, float]  # left, top, right, bottom
Label = tuple[float, float, str, str]  # x, baseline y, text-anchor, text


def svg(proc: Procedure, link: str = "", current: str | None = None, lang: str = "vi") -> str:
    """The diagram as one ``<svg>`` element; each step links to ``{link}{event}/``.

    A group of links, not an image: each step is a link named by the step's title, reached by Tab.
    It is drawn at its own size, down to MIN_FONT px text, and scrolls sideways on a narrow screen."""
    drawn, nodes = _drawing(proc, lang)
    return "".join([drawn, *(_node(nd, link, current) for nd in nodes), "</svg>"])


_DRAWN: dict[tuple[int, str], tuple[Procedure, str, list[Node]]] = {}


def _drawing(proc: Procedure, lang: str) -> tuple[str, list[Node]]:
    """Everything of the diagram but its step boxes (the same on the overview and on every step
    page of a language: the layout and the label placement are made once per procedure and
    language), and the boxes to draw. Kept by the procedure object itself (a frozen model)."""
    kept = _DRAWN.get((id(proc), lang))
    if kept is not None and kept[0] is proc:
        return kept[1], kept[2]
    nodes, loose = layout(proc, lang)
    allnodes = nodes + loose
    by_name = {nd.name: nd for nd in nodes}
    pairs = [(by_name[a], by_name[b], label) for a, b, label in edges(proc, lang) if a in by_name and b in by_name]
    labels = place_labels(pairs, allnodes)
    right = max([nd.x + NODE_W for nd in allnodes] + [_label_box(lb)[2] for lb in labels]
                + [_arc_x(a, b) + 10 for a, b, _ in pairs if a is not b and b.layer <= a.layer])
    width = int(right) + MARGIN
    height = MARGIN * 2 + (max(nd.layer for nd in allnodes) + 1) * (NODE_H + GAP_Y) + (24 if loose else 0)
    smallest = -(-width * MIN_FONT // FONT)
    title = escape(proc.title.get(lang))
    parts = [f'<svg class="hoso-diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" style="width: 100%; max-width: {width}px; min-width: {smallest}px" '
             f'role="group" aria-label="{title}">',
             f"<style>{STYLE.strip()}</style>",
             '<defs><marker id="hoso-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="hoso-arrowhead"/></marker></defs>']
    parts += [_edge(a, b) for a, b, _ in pairs]
    parts += [f'<text class="hoso-edge-label" x="{x:g}" y="{y:g}" text-anchor="{anchor}">{escape(text)}</text>'
              for x, y, anchor, text in labels]
    if loose:
        y = loose[0].y - 6
        note = NOTE["en" if lang == "en" else "vi"]
        parts.append(f'<text class="hoso-note" x="{MARGIN}" y="{y}">{escape(note)}</text>')
    drawn = "".join(parts)
    if len(_DRAWN) >= 64:
        _DRAWN.clear()
    _DRAWN[(id(proc), lang)] = (proc, drawn, allnodes)
    return drawn, allnodes


FIGURE = '<div class="hoso-figure" data-search-exclude>'  # a guide page's diagram, in its box
FIGURE_OPEN, FIGURE_CLOSE = FIGURE + '<svg class="hoso-diagram"', "</svg>"


def figure(drawn: str) -> str:
    """A diagram (:func:`svg`) as a guide page carries it: in a box that scrolls, out of the search."""
    return f"{FIGURE}{drawn}</div>"


def lift(markdown: str, token: str) -> tuple[str, list[str]]:
    """A page's diagrams taken out of its Markdown, each left as an HTML comment naming it by
    ``token`` and its number; :func:`restore` puts them back into the page's HTML. A diagram is
    most of a step page's tags: Markdown's reader of raw HTML and the theme's search (which then
    skips it, ``data-search-exclude``) each parsed it, tag by tag, for nothing. Only a diagram
    in the box :func:`figure` draws is taken (its box stays)."""
    parts: list[str] = []
    figures: list[str] = []
    pos = 0
    while (found := markdown.find(FIGURE_OPEN, pos)) != -1 and (end := markdown.find(FIGURE_CLOSE, found)) != -1:
        start, end = found + len(FIGURE), end + len(FIGURE_CLOSE)
        parts += [markdown[pos:start], _marker(token, len(figures))]
        figures.append(markdown[start:end])
        pos = end
    parts.append(markdown[pos:])
    return "".join(parts), figures


def restore(html: str, token: str, figures: list[str]) -> tuple[str, int]:
    """The diagrams :func:`lift` took out, back in their places; and how many had no place."""
    lost = 0
    for i, figure in enumerate(figures):
        marker = _marker(token, i)
        if marker in html:
            html = html.replace(marker, figure, 1)
        else:
            lost += 1
    return html, lost


def _marker(token: str, number: int) -> str:
    return f"<!--hoso-figure-{token}-{number}-->"


def _node(nd: Node, link: str, current: str | None) -> str:
    cls = "hoso-node hoso-end" if nd.end else "hoso-node"
    if nd.name == current:
        cls += " hoso-current"
    lines = wrap(nd.label)
    cx = nd.x + NODE_W // 2
    first = nd.y + NODE_H // 2 - (len(lines) - 1) * 8 + 4
    text = "".join(f'<tspan x="{cx}" y="{first + i * 16}">{escape(s)}</tspan>' for i, s in enumerate(lines))
    rx = 22 if nd.end else 6
    name = escape(nd.label)
    shape = (f'<rect x="{nd.x}" y="{nd.y}" width="{NODE_W}" height="{NODE_H}" rx="{rx}"/>'
             f'<text text-anchor="middle" aria-hidden="true">{text}</text>')
    if nd.end:
        return f'<g class="{cls}" data-node="{escape(nd.name)}" role="img" aria-label="{name}"><title>{name}</title>{shape}</g>'
    here = ' aria-current="page"' if nd.name == current else ""
    return (f'<a href="{escape(link)}{escape(nd.name)}/" aria-label="{name}"{here}><title>{name}</title>'
            f'<g class="{cls}" data-node="{escape(nd.name)}">{shape}</g></a>')


def _arc_x(a: Node, b: Node) -> float:
    """How far right a back edge's arc reaches: into the gap beside the column, not over the next."""
    return max(a.x, b.x) + NODE_W + GAP_X * 0.75


def _edge(a: Node, b: Node) -> str:
    if a is b:  # a repeated vote: a loop on the right side
        x, y = a.x + NODE_W, a.y + NODE_H // 2
        d = f"M{x},{y - 10} C{x + 45},{y - 30} {x + 45},{y + 30} {x},{y + 10}"
    elif b.layer > a.layer:
        x1, y1 = a.x + NODE_W // 2, a.y + NODE_H
        x2, y2 = b.x + NODE_W // 2, b.y
        d = f"M{x1},{y1} C{x1},{y1 + 20} {x2},{y2 - 20} {x2},{y2}"
    else:  # back edge: an arc on the right
        x1, y1 = a.x + NODE_W, a.y + NODE_H // 2
        x2, y2 = b.x + NODE_W, b.y + NODE_H // 2
        bulge = _arc_x(a, b)
        d = f"M{x1},{y1} C{bulge:g},{y1} {bulge:g},{y2} {x2},{y2}"
    return f'<path class="hoso-edge" d="{d}" marker-end="url(#hoso-arrow)"/>'


def _candidates(a: Node, b: Node) -> list[tuple[float, float, str]]:
    """Where an edge's label may stand, best first: (x, baseline y, text-anchor)."""
    if a is b:
        x, y = a.x + NODE_W, a.y + NODE_H // 2
        return [(x + 44, y + 5, "start"), (x + 4, a.y - 4, "start"), (x + 4, a.y + NODE_H + 14, "start")]
    if b.layer > a.layer:
        x1: float = a.x + NODE_W / 2
        y1: float = a.y + NODE_H
        x2: float = b.x + NODE_W / 2
        y2: float = b.y
        side = (x1 - 6, "end") if x2 < x1 else (x1 + 6, "start")
        other = (x1 + 6, "start") if x2 < x1 else (x1 - 6, "end")
        toward = (x2 + 6, "start") if x2 <= x1 else (x2 - 6, "end")
        return [(side[0], y1 + 15, side[1]), (other[0], y1 + 15, other[1]), (side[0], y1 + 32, side[1]),
                (toward[0], y2 - 7, toward[1]), (toward[0], y2 - 24, toward[1])]
    x1, y1 = a.x + NODE_W, a.y + NODE_H / 2
    x2, y2 = b.x + NODE_W, b.y + NODE_H / 2
    return [(x2 + 10, y2 - 8, "start"), (x1 + 10, y1 + 20, "start"), (x2 + 10, y2 + 20, "start"),
            (x1 + 10, y1 - 8, "start")]


def _label_box(label: Label) -> Box:
    x, y, anchor, text = label
    w = len(text) * CHAR_W
    left = x - w if anchor == "end" else x
    return left, y - FONT, left + w, y + 4


def _overlaps(p: Box, q: Box) -> bool:
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def place_labels(pairs: list[tuple[Node, Node, str]], nodes: list[Node]) -> list[Label]:
    """Each edge label at the first of its places that covers no box and no other label."""
    taken: list[Box] = [(nd.x - 2, nd.y - 2, nd.x + NODE_W + 2, nd.y + NODE_H + 2) for nd in nodes]
    out: list[Label] = []
    for a, b, text in pairs:
        if not text:
            continue
        options = [(x, y, anchor, text) for x, y, anchor in _candidates(a, b)]
        fits = [lb for lb in options if _label_box(lb)[0] >= 0 and not any(_overlaps(_label_box(lb), t) for t in taken)]
        chosen = (fits or options)[0]
        taken.append(_label_box(chosen))
        out.append(chosen)
    return out
