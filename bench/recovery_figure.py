#!/usr/bin/python3
"""README's injection-recovery figure from ActiveStarRecovery's TSVs (bench/run.sh --only recovery).

    recovery_figure.py OUT.png LABEL=INVERTED.tsv,BINARIES.tsv [LABEL=...]
    recovery_figure.py --noise OUT.png INVERTED.tsv BINARIES.tsv TWO_MINUTE.tsv

One panel per host class (quiet and active from the inverted hosts, the labelled binaries as they are): the share of
injections found by the search (solid: any listed signal at the injected period and epoch) and found and called a
planet candidate by the vetter (dashed; the TSV's vetted_planet column, from -Dvet=true), against the injected SNR.
With --noise, the same injections (and the 2-minute hosts' in a fourth panel) found against the injected SNR and
against their SNR against the host's noise (the TSV's snr_noise column, in bands), with issue 14's aims marked.
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


BANDS = [(6, 7.1), (7.1, 8.5), (8.5, 10), (10, 12), (12, 15), (15, 20)]


def noise_figure(out, inverted, binaries, two_minute):
    """Found against the injected SNR (by point-to-point scatter) and against the SNR against the host's noise."""
    panels = [("quiet hosts (30-min, inverted)", inverted, "quiet"), ("active hosts (30-min, inverted)", inverted,
              "active"), ("eclipsing binaries (30-min)", binaries, "binary"), ("2-minute hosts", two_minute, None)]
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.6), sharey=True)
    for ax, (title, path, cls) in zip(axes, panels):
        with open(path, newline="") as f:
            rows = [r for r in csv.DictReader(f, delimiter="\t") if float(r["snr"]) > 0
                    and (cls is None or r["activity"] == cls)]
        snrs = sorted({float(r["snr"]) for r in rows})
        found = [100 * sum(r["any"] == "true" for r in rows if float(r["snr"]) == s)
                 / sum(float(r["snr"]) == s for r in rows) for s in snrs]
        ax.plot(snrs, found, "-o", color="#7f7f7f", label="by the injected SNR (point-to-point scatter)")
        xs, ys = [], []
        for lo, hi in BANDS:
            band = [r for r in rows if lo <= float(r["snr_noise"]) < hi]
            if len(band) >= 5:
                xs.append(sum(float(r["snr_noise"]) for r in band) / len(band))
                ys.append(100 * sum(r["any"] == "true" for r in band) / len(band))
        ax.plot(xs, ys, "-s", color="#1f77b4", label="by the SNR against the host's noise (bands, mean)")
        ax.plot([9, 12], [90, 98], "k*", ms=11, label="issue 14's aims (90% at 9, 98% at 12)")
        ax.set_title(f"{title}: {len(rows)} injections", fontsize=10)
        ax.set_xlabel("SNR")
        ax.set_xlim(4, 16)
        ax.set_ylim(0, 102)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("injections found (%)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9)
    fig.suptitle("The same injections counted by the SNR they were injected at and by the SNR they meet against "
                 "their host's noise", fontsize=11)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    if sys.argv[1] == "--noise":
        noise_figure(*sys.argv[2:6])
    else:
        main(sys.argv)
