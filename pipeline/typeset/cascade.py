"""The cascade: pseudo-elements' styles made when asked for, unchanged articles' styles kept.

WeasyPrint's cascade (`StyleFor.__init__`) matches every element against every sheet,
weighs the declarations, and makes a computed style for each element and each of its
pseudo-elements, reading its `anchor` to collect the document's anchors. Two things make
it cheaper here, neither changing a byte of the PDF.

**Pseudo-elements on demand (every build).** The user-agent sheet gives every element six
pseudo-elements (`*::marker`, `*::footnote-call`, `*::footnote-marker` and the three of
notes): 27,000 styles at 177 pages, of which the box tree asks for a few hundred. While
the cascade runs, a pseudo-element's style is noted with what its making needs (its
cascaded declarations, its element, the root) and made the first time the layout asks
for it, by WeasyPrint's own `set_computed_styles`. Making one computes nothing but its
`anchor`; every other value is computed when first read, from the element's style it
inherits from, the same object either way. One with an `anchor` declaration of its own is
made at once, in the cascade's order, so the anchors are collected in the same order;
`anchor` is not inherited, so without a declaration it is `none` and collects nothing.

**Page types' margin boxes looked up (every build).** WeasyPrint's
`set_page_type_computed_styles` finds a page type's margin boxes by looking through the
cascaded styles of every page type made so far, for every page: half a million looks at
177 pages. The cascade here notes, as `add_page_declarations` adds them, which margin
boxes each page type has, in the order the cascaded styles hold them, and our function of
the same name makes their styles from that list.

**Unchanged articles' styles kept (builders that build again).** A rebuild after a
sentence edit cascades 4,500 elements at 177 pages to change the styles of a hundred. The
styles of an element depend on the sheets, on the element and its subtree (its
attributes, its children for `:empty`), on its ancestors and their siblings, and on the
values it inherits, never on the text of an element elsewhere, except through `:has()`,
which the page keeper already refuses in the house's sheets (`relayout.py`; the
user-agent sheet's one `:has()` is on `select`, never an ancestor or a sibling of an
article). So, when everything outside `<main>`'s children reads as last time (the same
HTML before and after them, the same start tags of all of them, the same parsed sheets,
fonts and base URL), a child whose HTML is the same as last time's at the same place has
the styles it had. Those are kept as they were when the cascade made them, before the box
tree changed some of them in place (a table's margins move to its wrapper), as copies: a
style per distinct style, with its parent, root and per-render tables pointed at this
render's. The cascade then walks around the kept children (`_Walk`), and each is put in at
its place in the walk, so the anchors it holds are collected in document order, as the
cascade would. A style is shared between elements with the same parent and declarations,
so with every child of `<main>` holding an id of its own (the template gives them one)
no style is shared between two children, or between a child and what is outside them,
and copying per child shares what the cascade shared. Only children whose pseudo-elements
are all made on demand are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import Any

from .parsed import ParsedMemory, main_of


@cache  # one subclass of WeasyPrint's class, made once
def _lazy_pseudo_styles(style_for_class: type) -> type:
    class LazyPseudoStyles(style_for_class):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._deferred: dict[tuple[Any, str], tuple[Any, ...]] = {}
            self._page_pseudo_types: dict[Any, list[str]] = {}
            self._deferring = True
            try:
                super().__init__(*args, **kwargs)
            finally:
                self._deferring = False

        def set_computed_styles(self, element: Any, parent: Any, root: Any = None, pseudo_type: Any = None,
                                base_url: Any = None, target_collector: Any = None) -> None:
            if self._deferring and pseudo_type is not None:
                cascaded = self._cascaded_styles.get((element, pseudo_type), {})
                if "anchor" not in cascaded:
                    made_with = (cascaded, parent, root, base_url, target_collector)
                    self._deferred[element, pseudo_type] = made_with
                    return
            super().set_computed_styles(element, parent, root, pseudo_type, base_url, target_collector)

        def add_page_declarations(self, page_type: Any) -> None:
            cascaded = self._cascaded_styles
            before = len(cascaded)
            super().add_page_declarations(page_type)
            added = list(islice(reversed(cascaded), len(cascaded) - before))  # the keys it added
            for _, pseudo_type in reversed(added):
                if pseudo_type:
                    self._page_pseudo_types.setdefault(page_type, []).append(pseudo_type)

        def page_pseudo_types(self, page_type: Any) -> list[str]:
            """The pseudo-elements (margin boxes) with declarations for `page_type`, in the
            order the cascaded styles hold them."""
            return self._page_pseudo_types.get(page_type, [])

        def __call__(self, element: Any, pseudo_type: Any = None) -> Any:
            if pseudo_type is not None and (element, pseudo_type) in self._deferred:
                cascaded, parent, root, base_url, collector = self._deferred.pop((element, pseudo_type))
                key = (element, pseudo_type)
                self._cascaded_styles[key] = cascaded  # what set_computed_styles reads
                try:
                    super().set_computed_styles(element, parent, root, pseudo_type, base_url, collector)
                finally:
                    del self._cascaded_styles[key]
            return super().__call__(element, pseudo_type)

    return LazyPseudoStyles


@dataclass(frozen=True)
class _KeptChild:
    """A child of `<main>`'s styles as the cascade made them (indexes in element order)."""

    styles: tuple[Any, ...]  # each distinct style once, in the order elements first use it
    parents: tuple[int, ...]  # each style's parent style, in `styles` (-1: main's)
    element_styles: tuple[int, ...]  # each element's style, elements in document order
    pseudo: tuple[tuple[int, str, dict[str, Any]], ...]  # (element, type, cascaded), made on demand


@dataclass
class StyleMemory:
    """The last render's cascade context and its children's styles, kept by the typesetter."""

    context: tuple[object, ...] | None = None
    held: tuple[object, ...] = ()  # what `context` names by identity, kept alive
    children: dict[tuple[int, str], _KeptChild] = field(default_factory=dict)
    adopted: int = 0  # children the last render took from here

    def clear(self) -> None:
        self.context, self.held, self.children, self.adopted = None, (), {}, 0


def elements_of(root: Any) -> list[Any]:
    """The elements of a subtree in document order (comments and processing instructions left out)."""
    return [element for element in root.iter() if isinstance(element.tag, str)]


class _Walk:
    """`html` as the cascade reads it, its walk stepping over the children `adopt` puts in."""

    def __init__(self, html: Any, kept: dict[int, _KeptChild], adopt: Any) -> None:
        self.etree_element, self.base_url = html.etree_element, html.base_url
        self.wrapper_element = self
        self._root, self._kept, self._adopt = html.wrapper_element, kept, adopt

    def iter_subtree(self) -> Iterator[Any]:
        stack = [iter((self._root,))]
        while stack:
            wrapper = next(stack[-1], None)
            if wrapper is None:
                stack.pop()
                continue
            kept = self._kept.get(id(wrapper.etree_element))
            if kept is not None:
                self._adopt(kept, wrapper.etree_element)
                continue
            yield wrapper
            stack.append(wrapper.iter_children())


def _pristine(style: Any) -> Any:
    """A copy of a style that names nothing of its render (set again when adopted)."""
    kept = style.copy()
    kept.parent_style = kept.root_style = kept.cache = kept.initial_page_sizes = None
    return kept


def _remembering_styles(lazy_class: type, memory: StyleMemory, parsed: ParsedMemory, token: object) -> type:
    class RememberedStyles(lazy_class):  # type: ignore[misc, valid-type]
        def __init__(self, html: Any, sheets: Any, presentational_hints: Any, font_config: Any,
                     target_collector: Any) -> None:
            cut, main = parsed.cut, main_of(html.etree_element)
            children = list(main) if main is not None else []
            ids = [child.get("id") for child in children]
            self.kept_children: set[int] = set()  # ids of the children whose styles are kept
            if cut is None or len(children) != len(cut.children) or None in ids or len(set(ids)) < len(ids):
                memory.clear()
                super().__init__(html, sheets, presentational_hints, font_config, target_collector)
                return
            held = (*(sheet for sheet, _, _ in sheets), font_config)
            starts = tuple(text[: text.find(">") + 1] for text in cut.children)
            context = (cut.before, cut.after, starts, tuple(map(id, held)), html.base_url,
                       presentational_hints, token)
            if context != memory.context:
                memory.clear()
            keys = list(enumerate(cut.children))
            kept = {id(child): memory.children[key]
                    for child, key in zip(children, keys, strict=True) if key in memory.children}
            self._main, self._root, self._base_url = main, html.etree_element, html.base_url
            self._collector = target_collector
            super().__init__(_Walk(html, kept, self._adopt), sheets, presentational_hints,
                             font_config, target_collector)
            memory.context, memory.held, memory.adopted = context, held, len(kept)
            self.kept_children = set(kept)
            made_at_once = {element for element, pseudo_type in self._computed_styles if pseudo_type}
            pseudo_of: dict[Any, list[tuple[str, dict[str, Any]]]] = {}
            if len(kept) < len(children):
                for (element, pseudo_type), (cascaded, *_) in self._deferred.items():
                    pseudo_of.setdefault(element, []).append((pseudo_type, cascaded))
            remembered: dict[tuple[int, str], _KeptChild] = {}
            for child, key in zip(children, keys, strict=True):
                if id(child) in kept:
                    remembered[key] = kept[id(child)]
                elif (styles := self._kept_child(child, made_at_once, pseudo_of)) is not None:
                    remembered[key] = styles
            memory.children = remembered

        def _adopt(self, kept: _KeptChild, child: Any) -> None:
            """The child's styles put in at its place in the cascade's walk."""
            computed = self._computed_styles
            main_style, root_style = computed[self._main, None], computed[self._root, None]
            copies: list[Any] = []
            for style, parent in zip(kept.styles, kept.parents, strict=True):
                copied = style.copy()
                copied.parent_style = main_style if parent < 0 else copies[parent]
                copied.is_root_element = False
                copied.root_style, copied.cache = root_style, root_style.cache
                copied.initial_page_sizes = self.initial_page_sizes
                copies.append(copied)
            elements = elements_of(child)
            collected: set[int] = set()
            for element, style_index in zip(elements, kept.element_styles, strict=True):
                style = computed[element, None] = copies[style_index]
                if style_index not in collected:  # an anchor is collected when its style is made
                    collected.add(style_index)
                    if self._collector and style["anchor"]:
                        self._collector.collect_anchor(style["anchor"])
            for element_index, pseudo_type, cascaded in kept.pseudo:
                element = elements[element_index]
                self._deferred[element, pseudo_type] = (
                    cascaded, element, self._root, self._base_url, self._collector)

        def _kept_child(self, child: Any, made_at_once: set[Any],
                        pseudo_of: dict[Any, list[tuple[str, dict[str, Any]]]]) -> _KeptChild | None:
            """The child's styles as the cascade left them; None when one of its
            pseudo-elements was made at once (it has an anchor of its own)."""
            elements = elements_of(child)
            if not made_at_once.isdisjoint(elements):
                return None
            computed = self._computed_styles
            main_style = computed[self._main, None]
            index_of: dict[int, int] = {}
            styles: list[Any] = []
            parents: list[int] = []
            element_styles: list[int] = []
            pseudo: list[tuple[int, str, dict[str, Any]]] = []
            for element_index, element in enumerate(elements):
                style = computed[element, None]
                if id(style) not in index_of:
                    parent = style.parent_style
                    parent_index = -1 if parent is main_style else index_of.get(id(parent))
                    if parent_index is None:
                        return None  # inherits from outside the child: not the cascade's shape
                    index_of[id(style)] = len(styles)
                    styles.append(_pristine(style))
                    parents.append(parent_index)
                element_styles.append(index_of[id(style)])
                pseudo.extend((element_index, pseudo_type, cascaded)
                              for pseudo_type, cascaded in pseudo_of.get(element, ()))
            return _KeptChild(tuple(styles), tuple(parents), tuple(element_styles), tuple(pseudo))

    return RememberedStyles


@contextmanager
def cascading(memory: StyleMemory | None = None, parsed: ParsedMemory | None = None,
              token: object = None) -> Iterator[None]:
    """Within this block, WeasyPrint's cascade makes pseudo-elements' styles on demand and,
    given the memories, takes unchanged articles' styles from the last render (see above)."""
    from weasyprint import css
    from weasyprint.layout import page

    original, original_page_styles = css.StyleFor, page.set_page_type_computed_styles
    lazy = _lazy_pseudo_styles(original)
    remembering = memory is not None and parsed is not None
    css.StyleFor = _remembering_styles(lazy, memory, parsed, token) if remembering else lazy  # type: ignore[arg-type]
    page.set_page_type_computed_styles = set_page_type_computed_styles
    try:
        yield
    finally:
        css.StyleFor, page.set_page_type_computed_styles = original, original_page_styles


def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """WeasyPrint's function of the same name, which looks for the page type's margin boxes
    among all the cascaded styles of the pages made so far, every page (0.5 million looks at
    177 pages, 2% of a rebuild); here the cascade says which they are."""
    style_for.add_page_declarations(page_type)
    root = html.etree_element
    # @page inherits from the root element, its margin boxes from the page.
    style_for.set_computed_styles(page_type, root=root, parent=root, base_url=html.base_url)
    for pseudo_type in style_for.page_pseudo_types(page_type):
        style_for.set_computed_styles(
            page_type, pseudo_type=pseudo_type, root=root, parent=page_type, base_url=html.base_url)
