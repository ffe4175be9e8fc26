"The library's shape: no import cycle between its modules, and no module much over 500 lines."
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1]/'invtransfer'

def _is_entry_point(node) -> bool:
    "`if __name__ == '__main__':` — code run as a script, not imported."
    return isinstance(node, ast.If) and isinstance(node.test, (ast.Compare, ast.BoolOp)) and "'__main__'" in ast.unparse(node.test)

def imports(path: Path) -> set[str]:
    "The invtransfer modules `path` imports, at module level or inside functions (entry-point blocks excepted)."
    tree, out = ast.parse(path.read_text()), set()
    skip = {id(n) for b in ast.walk(tree) if _is_entry_point(b) for n in ast.walk(b)}
    for n in ast.walk(tree):
        if id(n) in skip: continue
        if isinstance(n, ast.ImportFrom):
            mod = n.module or ''
            if n.level == 1: out |= {mod.split('.')[0]} if mod else {a.name for a in n.names}
            elif mod.startswith('invtransfer.'): out.add(mod.split('.')[1])
            elif mod == 'invtransfer': out |= {a.name for a in n.names}
        elif isinstance(n, ast.Import):
            out |= {a.name.split('.')[1] for a in n.names if a.name.startswith('invtransfer.')}
    return {m for m in out if (PKG/f'{m}.py').exists() and m != path.stem}

def graph() -> dict[str, set[str]]: return {p.stem: imports(p) for p in PKG.glob('*.py')}

def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    "Every module that can reach itself, with one path that does."
    out = []
    for start in g:
        seen, stack = set(), [(start, [start])]
        while stack:
            m, path = stack.pop()
            for d in g[m]:
                if d == start: out.append(path + [d]); stack = []; break
                if d not in seen: seen.add(d); stack.append((d, path + [d]))
    return out

def test_cycle_finder_finds_a_cycle():
    assert cycles({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': {'a'}}) == [['a', 'b', 'c', 'a'], ['b', 'c', 'a', 'b'], ['c', 'a', 'b', 'c']]
    assert cycles({'a': {'b'}, 'b': set()}) == []

def test_no_import_cycles():
    g = graph()
    assert len(g) > 20 and g['tables'] >= {'reports', 'variants'}, g   # the scan sees the modules and their imports
    assert cycles(g) == [], cycles(g)

def test_modules_have_one_size():
    sizes = {p.name: len(p.read_text().splitlines()) for p in PKG.glob('*.py') if p.name != '_modidx.py'}
    assert max(sizes.values()) <= 520, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
