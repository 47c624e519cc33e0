"""HTML audit pack: the Markdown pack as one self-contained page.

Inline CSS, no script, no external asset (fonts, images, links out): the
file can be mailed or archived and opens the same anywhere, printing
included.  Every piece of text is escaped.  In the first citation of an
answer the figure is marked (``<mark>``), or the whole quote when the figure
is not written as such (a computed value, a name, a sentence); conflicting
figures are marked in their own quotes.
"""

from __future__ import annotations

from html import escape

from assistant.batch_formats.common import (
    Item,
    PackInfo,
    Stats,
    answer_spans,
    extra_text,
    figure_spans,
    fmt_confidence,
    fmt_number,
    fmt_value,
    index_date,
    one_line,
    shorten,
    source_label,
    split_spans,
)
from assistant.presentation import plural

CSS = """
:root { --ink:#1d2330; --muted:#5b6475; --line:#d8dce3; --bg:#f6f7f9; --accent:#1f4e8c;
        --ok:#1e7b46; --warn:#a35c00; --warn-bg:#fff3df; --none:#59606d; --none-bg:#eceef1;
        --bad:#a11d2b; --bad-bg:#fde8ea; --mark:#ffe37a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h1 small { display: block; font-size: .55em; font-weight: normal; color: var(--muted); }
h2 { font-size: 1.25em; margin: 2em 0 .6em; padding-bottom: .2em; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.08em; margin: 0 0 .3em; }
h4 { font-size: .92em; margin: 1em 0 .3em; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
a { color: var(--accent); }
code { font: .9em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: var(--bg); padding: 0 .25em; border-radius: 3px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 1em 0; }
dl.meta dt { font-weight: 600; color: var(--muted); }
dl.meta dd { margin: 0; }
ul.stats { list-style: none; display: flex; flex-wrap: wrap; gap: .5em; padding: 0; margin: 1em 0; }
ul.stats li { padding: .35em .8em; border-radius: 999px; background: var(--bg); border: 1px solid var(--line); }
ul.stats b { font-size: 1.1em; }
table.summary { width: 100%; border-collapse: collapse; font-size: .9em; }
table.summary th, table.summary td { text-align: left; vertical-align: top; padding: .45em .55em; border-bottom: 1px solid var(--line); }
table.summary th { background: var(--bg); position: sticky; top: 0; }
table.summary td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.summary tr.-abstained td { color: var(--none); }
table.summary tr.-failed td { background: var(--bad-bg); }
.badge { display: inline-block; font-size: .78em; font-weight: 600; padding: .05em .5em; border-radius: 4px; margin-right: .35em; white-space: nowrap; }
.badge.warn { color: var(--warn); background: var(--warn-bg); border: 1px solid #f0c987; }
.badge.none { color: var(--none); background: var(--none-bg); border: 1px solid #cfd3da; }
.badge.conflict, .badge.failed { color: var(--bad); background: var(--bad-bg); border: 1px solid #f2b8be; }
article.q { border: 1px solid var(--line); border-left: 5px solid var(--ok); border-radius: 6px; padding: 14px 18px; margin: 0 0 18px; }
article.q.-warn { border-left-color: var(--warn); }
article.q.-abstained { border-left-color: var(--none); }
article.q.-conflict, article.q.-failed { border-left-color: var(--bad); }
.qid { color: var(--muted); font-weight: normal; margin-right: .4em; }
p.where { margin: 0 0 .5em; color: var(--muted); font-size: .85em; }
p.answer { font-size: 1.08em; margin: .5em 0; }
p.facts { margin: .2em 0 .6em; color: var(--muted); font-size: .9em; }
p.note { margin: .4em 0; }
ol.cites, ul.conflicts { padding-left: 1.4em; margin: .2em 0; }
ol.cites li, ul.conflicts li { margin: .5em 0; }
.cite-head { font-size: .88em; color: var(--muted); }
blockquote { margin: .35em 0 .2em; padding: .5em .9em; background: var(--bg); border-left: 3px solid var(--line); font-family: Georgia, "Times New Roman", serif; }
blockquote.first { border-left-color: var(--accent); }
mark { background: var(--mark); padding: 0 .1em; border-radius: 2px; }
dl.extra { display: grid; grid-template-columns: max-content 1fr; gap: .1em .8em; font-size: .85em; color: var(--muted); margin: .8em 0 0; }
dl.extra dd { margin: 0; }
ul.skipped { font-size: .9em; color: var(--muted); }
footer { margin-top: 3em; font-size: .8em; color: var(--muted); }
@media print {
  main { max-width: none; padding: 0; }
  article.q { break-inside: avoid; }
  table.summary th { position: static; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    return "".join(f"<mark>{_e(piece)}</mark>" if on else _e(piece) for piece, on in split_spans(text, spans))


_BADGE_CLASS = {"échec": "failed", "sans réponse": "none", "à vérifier": "warn", "conflit": "conflict"}
"""CSS class of each flag of :attr:`Item.flags`."""


def _badges(item: Item) -> str:
    return "".join(f'<span class="badge {_BADGE_CLASS[flag]}">{flag}</span>' for flag in item.flags)


def _classes(item: Item) -> str:
    if item.failed:
        return "-failed"
    if item.abstained:
        return "-abstained"
    if item.has_conflicts:
        return "-conflict"
    if item.low_confidence:
        return "-warn"
    return ""


def _header(items: list[Item], info: PackInfo) -> list[str]:
    stats = Stats.of(items)
    roots = ", ".join(f"<code>{_e(r)}</code>" for r in info.roots) or "(inconnu)"
    out = [
        f"<h1>Dossier de réponses<small>{_e(info.source)}</small></h1>",
        '<dl class="meta">',
        f"<dt>Corpus</dt><dd>{roots}</dd>",
        f"<dt>Index</dt><dd><code>{_e(info.index_dir)}</code> — {info.documents} documents, mis à jour le {_e(index_date(info))}</dd>",
        "</dl>",
        '<ul class="stats">',
        f"<li><b>{stats.total}</b> {plural('question', stats.total)}</li>",
        f"<li><b>{stats.answered}</b> {plural('répondue', stats.answered)}</li>",
        f"<li><b>{stats.low_confidence}</b> à vérifier</li>",
        f"<li><b>{stats.abstained}</b> sans réponse</li>",
        f"<li><b>{stats.conflicts}</b> avec {plural('conflit', stats.conflicts)}</li>",
        f"<li><b>{stats.failed}</b> en échec</li>",
        "</ul>",
    ]
    if info.skipped:
        out.append(f"<p>Lignes ignorées du fichier de questions : {len(info.skipped)}</p>")
        out.append('<ul class="skipped">')
        out += [f"<li>ligne {n} : {_e(reason)}</li>" for n, reason in info.skipped]
        out.append("</ul>")
    return out


def _summary(items: list[Item], anchors: list[str]) -> list[str]:
    out = [
        "<h2>Synthèse</h2>",
        '<table class="summary">',
        "<thead><tr><th>id</th><th>question</th><th>réponse</th><th>confiance</th><th>source</th></tr></thead>",
        "<tbody>",
    ]
    for item, anchor in zip(items, anchors):
        a = item.answer
        source = _e(source_label(a.citations[0])).replace(", p. ", ",\u00a0p.\u00a0") if a.citations and not item.failed else "—"
        cls = _classes(item)
        out.append(
            (f'<tr class="{cls}">' if cls else "<tr>")
            + f'<td><a href="#{anchor}">{_e(item.question.id)}</a></td>'
            + f"<td>{_e(shorten(item.question.text))}</td>"
            + f"<td>{_badges(item)}{_e(shorten(a.answer))}</td>"
            + f'<td class="num">{fmt_confidence(a.confidence, item)}</td>'
            + f"<td>{source}</td></tr>"
        )
    out += ["</tbody>", "</table>"]
    return out


def _article(item: Item, anchor: str, parent_anchor: str | None) -> list[str]:
    q, a = item.question, item.answer
    cls = " ".join(c for c in ("q", _classes(item)) if c)
    out = [f'<article class="{cls}" id="{anchor}">', f'<h3><span class="qid">{_e(q.id)}</span>{_e(q.text)}</h3>']
    where = f"ligne {q.line}"
    if q.follow_up:
        if item.parent is not None and parent_anchor:
            where += f' · suite de la question <a href="#{parent_anchor}">{_e(item.parent)}</a>'
        else:
            where += " · suite (aucune question précédente)"
    out.append(f'<p class="where">{where}</p>')
    badges = _badges(item)
    if item.failed:
        out.append(f'<p class="note">{badges}la question n\'a pas pu être traitée : {_e(item.error or "")}</p>')
    else:
        if item.abstained:
            out.append(f'<p class="note">{badges}les rapports indexés ne répondent pas à cette question.</p>')
        elif badges:
            out.append(f'<p class="note">{badges}</p>')
        out.append(f'<p class="answer">{_e(a.answer)}</p>')
        facts = []
        if a.value is not None:
            facts.append(f"valeur : <strong>{_e(fmt_value(a, group=chr(0xA0)))}</strong>")
        facts.append(f"type : {_e(a.kind)}")
        facts.append(f"confiance : {fmt_confidence(a.confidence)}")
        if a.computed:
            facts.append("valeur calculée à partir des sources citées")
        out.append(f'<p class="facts">{" · ".join(facts)}</p>')
    if a.citations and not item.failed:
        out.append(f"<h4>{'Passages à lire' if item.abstained else 'Sources'}</h4>")
        out.append('<ol class="cites">')
        for n, c in enumerate(a.citations, start=1):
            parts = [f"<code>{_e(c.document)}</code>"]
            if c.title:
                parts.append(f"<em>{_e(c.title)}</em>")
            if c.section:
                parts.append(_e(c.section))
            if c.page:
                parts.append(f"p. {c.page}")
            parts.append(f"car. {c.start}–{c.end}")
            quote = one_line(c.quote)
            if n == 1 and not item.abstained:
                spans = answer_spans(a, quote) or [(0, len(quote))]
                body, qcls = _marked(quote, spans), ' class="first"'
            else:
                body, qcls = _e(quote), ""
            out.append(f'<li><div class="cite-head">{" — ".join(parts)}</div><blockquote{qcls}>{body}</blockquote></li>')
        out.append("</ol>")
    if item.has_conflicts:
        out.append("<h4>Chiffres contradictoires</h4>")
        out.append('<ul class="conflicts">')
        for conflict in a.conflicts:
            quote = one_line(conflict.quote)
            value = fmt_number(conflict.value, group="\u00a0", year=a.kind == "date")
            spans = figure_spans(quote, conflict.value, a.unit, a.kind)
            out.append(
                f"<li><strong>{_e(value)}</strong> — <code>{_e(conflict.document)}</code> "
                f"(car. {conflict.start}–{conflict.end})<blockquote>{_marked(quote, spans)}</blockquote></li>"
            )
        out.append("</ul>")
    if q.extra:
        out.append('<dl class="extra">')
        out += [f"<dt>{_e(k)}</dt><dd>{_e(extra_text(v))}</dd>" for k, v in q.extra.items()]
        out.append("</dl>")
    out.append("</article>")
    return out


def render_html(items: list[Item], info: PackInfo) -> str:
    """The audit pack as one self-contained HTML page."""
    anchors = [f"q-{n}" for n in range(1, len(items) + 1)]
    latest: dict[str, str] = {}
    parents: list[str | None] = []
    for item, anchor in zip(items, anchors):
        parents.append(latest.get(item.parent) if item.parent is not None else None)
        latest[item.question.id] = anchor
    out = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Dossier de réponses — {_e(info.source)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    out += _header(items, info)
    out += _summary(items, anchors)
    out.append("<h2>Réponses</h2>")
    for item, anchor, parent in zip(items, anchors, parents):
        out += _article(item, anchor, parent)
    out += [
        "<footer>Produit par <code>assistant batch</code> — réponses tirées des rapports indexés, sans modèle de langue.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"
