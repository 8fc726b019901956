#!/usr/bin/env python3
"""Draw a generated Grafana dashboard as a PNG from a real Prometheus: each panel's queries, as the
dashboard JSON says them, over a time range, placed by the panels' gridPos. This is not Grafana: no
Grafana code runs; fonts, colours and axes are matplotlib's. See README.md beside this file."""

import argparse
import json
import re
import urllib.parse
import urllib.request

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import yaml  # noqa: E402

COLUMN_PX = 64  # Grafana's grid: 24 columns, rows of 30 px
ROW_PX = 30
COLOURS = ["#73bf69", "#f2cc0c", "#8ab8ff", "#ff780a", "#f2495c", "#5794f2", "#b877d9", "#705da0"]


def query_range(prometheus, expr, start, end, step):
    url = prometheus + "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(url, timeout=30) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    return body["data"]["result"]


def legend(template, labels):
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template) or json.dumps(labels)


def scale(unit, values):
    if unit == "percentunit":
        return [v * 100 for v in values], "%"
    return values, {"s": "s", "reqps": "req/s", "ops": "ops/s", "short": ""}.get(unit, unit)


def compact(panels):
    """Grafana's grid packs panels upwards (react-grid-layout's vertical compaction): the rows of
    services disabled in the environment leave no gap. Returns the gridPos of each panel after it."""
    placed = []
    positions = {}
    for panel in sorted(panels, key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"])):
        g = dict(panel["gridPos"])
        while g["y"] > 0 and not any(
                o["x"] < g["x"] + g["w"] and g["x"] < o["x"] + o["w"] and o["y"] < g["y"] - 1 + g["h"] and g["y"] - 1 < o["y"] + o["h"]
                for o in placed):
            g["y"] -= 1
        placed.append(g)
        positions[panel["id"]] = g
    return positions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prometheus", required=True)
    parser.add_argument("--start", type=int, required=True)
    parser.add_argument("--end", type=int, required=True)
    parser.add_argument("--dashboard", required=True, help="the ConfigMap YAML holding the dashboard JSON")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(args.dashboard, encoding="utf-8") as f:
        config_map = yaml.safe_load(f)
    key, text = next(iter(config_map["data"].items()))
    dashboard = json.loads(text)
    panels = dashboard["panels"]
    grid = compact(panels)
    rows = max(g["y"] + g["h"] for g in grid.values())
    header, footer = 40, 24
    width, height = 24 * COLUMN_PX, header + rows * ROW_PX + footer
    figure = plt.figure(figsize=(width / 100, height / 100), dpi=100, facecolor="#111217")
    figure.text(0.01, 1 - 20 / height, f"{dashboard['title']}  ({key} of {config_map['metadata']['name']})",
                color="#d8d9da", fontsize=13, weight="bold", va="center")
    step = max(15, (args.end - args.start) // 240)
    minutes = (args.end - args.start) / 60
    for panel in panels:
        g = grid[panel["id"]]
        x, y = g["x"] * COLUMN_PX, header + g["y"] * ROW_PX  # the panel's top left corner, in pixels from the top
        if panel["type"] == "row":
            figure.text((x + 6) / width, 1 - (y + ROW_PX / 2) / height, panel["title"], color="#d8d9da", fontsize=11,
                        weight="bold", va="center")
            continue
        w, h = g["w"] * COLUMN_PX, g["h"] * ROW_PX
        # the plot inside the panel: room for the title above, the axis labels left and below
        inner = (x + 48, y + 26, w - 48 - 10, h - 26 - 22)
        axes = figure.add_axes([inner[0] / width, 1 - (inner[1] + inner[3]) / height, inner[2] / width, inner[3] / height],
                               facecolor="#181b1f")
        axes.set_title(panel["title"], color="#d8d9da", fontsize=9, loc="left")
        defaults = panel["fieldConfig"]["defaults"]
        unit = defaults.get("unit", "")
        colour = 0
        for target in panel["targets"]:
            for series in query_range(args.prometheus, target["expr"], args.start, args.end, step):
                points = [(float(t), float(v)) for t, v in series["values"] if v not in ("NaN", "+Inf", "-Inf")]
                if not points:
                    continue
                values, suffix = scale(unit, [v for _, v in points])
                axes.plot([(t - args.start) / 60 for t, _ in points], values, linewidth=1.2,
                          color=COLOURS[colour % len(COLOURS)], label=legend(target.get("legendFormat", ""), series["metric"]))
                colour += 1
        steps = defaults.get("thresholds", {}).get("steps", [])
        if defaults.get("custom", {}).get("thresholdsStyle", {}).get("mode") == "line" and len(steps) > 1:
            threshold, suffix = scale(unit, [steps[1]["value"]])
            axes.axhline(threshold[0], color="#f2495c", linestyle="--", linewidth=1)
        axes.set_xlim(0, minutes)
        axes.set_ylim(bottom=0)
        axes.set_ylabel(scale(unit, [])[1], color="#8e8e8e", fontsize=7)
        axes.tick_params(colors="#8e8e8e", labelsize=7)
        for spine in axes.spines.values():
            spine.set_color("#2c3235")
        if colour:
            axes.legend(fontsize=6, loc="upper left", facecolor="#181b1f", edgecolor="#2c3235", labelcolor="#d8d9da")
        else:
            axes.text(0.5, 0.5, "No data", color="#8e8e8e", ha="center", va="center", transform=axes.transAxes)
    figure.text(0.01, 6 / height, f"minutes since the run started ({minutes:.0f} min, step {step} s). Drawn by "
                "docs/dashboard-preview/render.py with matplotlib from a local Prometheus; not a Grafana screenshot.",
                color="#8e8e8e", fontsize=8)
    figure.savefig(args.out, facecolor=figure.get_facecolor())


if __name__ == "__main__":
    main()
