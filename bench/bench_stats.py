"""Figures shared by the Python benchmarks (bench/*.py)."""


def pct(values, q):
    """The q-th percentile of `values` (nearest rank on the sorted values)."""
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]
