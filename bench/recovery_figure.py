#!/usr/bin/python3
"""README's injection-recovery figure from ActiveStarRecovery's TSVs (bench/run.sh --only recovery).

    recovery_figure.py OUT.png LABEL=INVERTED.tsv,BINARIES.tsv [LABEL=...]

One panel per host class (quiet and active from the inverted hosts, the labelled binaries as they are): the share of
injections found by the search (solid: any listed signal at the injected period and epoch) and found and called a
planet candidate by the vetter (dashed; the TSV's vetted_planet column, from -Dvet=true), against the injected SNR.
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rates(paths):
    """{class: {snr: [found, vetted, n]}} over the TSVs; the binaries' runs count their binary hosts only."""
    out = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for i, path in enumerate(paths):
        with open(path, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                snr = float(row["snr"])
                cls = row["activity"]
                if snr == 0 or (i > 0) != (cls == "binary"):
                    continue
                cell = out[cls][snr]
                cell[0] += row["any"] == "true"
                cell[1] += row.get("vetted_planet") == "true"
                cell[2] += 1
    return out


def main(argv):
    out = argv[1]
    runs = [(a.split("=", 1)[0], rates(a.split("=", 1)[1].split(","))) for a in argv[2:]]
    panels = [("quiet", "quiet hosts (inverted)"), ("active", "active hosts (inverted)"),
              ("binary", "eclipsing binaries (as they are)")]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.8), sharey=True)
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    for ax, (cls, title) in zip(axes, panels):
        for (label, r), color in zip(runs, colors):
            snrs = sorted(r[cls])
            if not snrs:
                continue
            n = r[cls][snrs[0]][2]
            ax.plot(snrs, [100 * r[cls][s][0] / r[cls][s][2] for s in snrs], "-o", color=color,
                    label=f"{label}: found")
            if any(r[cls][s][1] for s in snrs):
                ax.plot(snrs, [100 * r[cls][s][1] / r[cls][s][2] for s in snrs], "--s", color=color,
                        label=f"{label}: found, vetted planet")
        ax.set_title(f"{title}, {n} light curves", fontsize=10)
        ax.set_xlabel("injected SNR (by point-to-point scatter)")
        ax.axhline(90, color="grey", lw=0.5, ls=":")
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("injections recovered (%)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8)
    fig.suptitle("Transits injected into real TESSellator light curves (ActiveStarRecovery, seed 14, every 3rd)",
                 fontsize=11)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    main(sys.argv)
