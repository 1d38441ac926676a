"""axe-core (bundled with axe-playwright-python) run in the page under test."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
MAX_TARGETS = 3

_axe = Axe()


def blocking_violations(results: dict) -> list[dict]:
    return [v for v in results.get("violations", []) if v.get("impact") in BLOCKING_IMPACTS]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [
            " ".join(str(part) for part in node.get("target", []))
            for node in violation.get("nodes", [])[:MAX_TARGETS]
        ]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation.get('nodes', []))} node(s); {', '.join(targets)}]"
        )
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> None:
    """Fail when axe reports any violation of impact "serious" or "critical" on the page."""
    results = _axe.run(page).response
    violations = blocking_violations(results)
    where = label or page.url
    others = [v for v in results.get("violations", []) if v not in violations]
    if others:  # shown by pytest with -rP or on failure: worth fixing, not blocking
        print(f"axe, minor/moderate on {where}:\n{format_violations(others)}")
    assert not violations, (
        f"axe: {len(violations)} serious/critical violation(s) on {where}:\n"
        + format_violations(violations)
    )
