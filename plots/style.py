"""One look for every ipcbench chart: readable in print and in grey scale.

Series differ by colour *and* marker *and* line style, so they stay apart without colour.
"""
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Okabe-Ito: distinguishable with colour-blindness and distinct in grey.
COLORS = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "h"]
LINES = ["-", "--", "-.", ":"]
HATCHES = ["", "//", "..", "xx", "\\\\", "--", "++", "oo"]

plt.rcParams.update(
    {
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.fontsize": 7,
        "svg.fonttype": "none",  # text stays text in the SVG: searchable, small, crisp
    }
)


def series_styles():
    """An endless supply of (color, marker, linestyle) triples, all different for the first 44."""
    for i in itertools.count():
        yield COLORS[i % len(COLORS)], MARKERS[i % len(MARKERS)], LINES[(i // len(COLORS)) % len(LINES)]


def bar_style(i):
    return {
        "color": COLORS[(i + 1) % len(COLORS)],
        "hatch": HATCHES[i % len(HATCHES)],
        "edgecolor": "black",
        "linewidth": 0.5,
    }


def figure(ncols=1, nrows=1, width=5.5, height=4.2, **kw):
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, **kw)
    return fig, axes


DPI = 110  # the saved PNG's resolution: a chart must fit 1280 px at it


def cjk_font():
    """The name matplotlib knows Debian's fonts-noto-cjk by (its .ttc shows one face, "Noto Sans CJK JP",
    which has every Chinese character), or None."""
    from matplotlib import font_manager

    return next((f.name for f in font_manager.fontManager.ttflist if "Sans CJK" in f.name), None)


def language(lang):
    """Where charts in `lang` are drawn and saved: Chinese in a font that has its glyphs (Latin letters
    still in DejaVu Sans) when the machine has one."""
    cjk = cjk_font() if lang == "zh" else None
    return plt.rc_context({"font.family": ["DejaVu Sans", cjk]} if cjk else {})


def save(fig, out_dir, stem):
    import os

    # The tight box once for both formats: savefig(bbox_inches="tight") lays the figure out again for
    # each, and laying out is most of a report's drawing time.
    fig.canvas.draw()
    box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    paths = []
    for ext in ("svg", "png"):
        path = os.path.join(out_dir, f"{stem}.{ext}")
        fig.savefig(path, dpi=DPI, bbox_inches=box)
        paths.append(path)
    plt.close(fig)
    return paths
