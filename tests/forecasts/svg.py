"""Read what a matplotlib SVG shows: lines, marks, texts and where they sit.

Charts give their artists ids (gid), so a test finds "the community line" or
"your forecasts" by name. Coordinates are SVG pixels: y grows downwards.
"""

import re
import xml.etree.ElementTree as ET

NS = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
NUMBER = r"-?\d+(?:\.\d+)?"


class Svg:
    def __init__(self, content: bytes):
        self.root = ET.fromstring(content)

    def group(self, gid: str):
        """Return the element with this id, or None."""
        return self.root.find(f".//*[@id='{gid}']")

    def texts(self) -> list[str]:
        """Return every drawn string (svg.fonttype none keeps them as text)."""
        nodes = self.root.iter(f"{{{NS['svg']}}}text")
        return ["".join(node.itertext()).strip() for node in nodes]

    def line(self, gid: str) -> list[tuple[float, float]]:
        """Return the vertices of the first path in the group."""
        path = self.group(gid).find(".//svg:path", NS)
        numbers = [float(n) for n in re.findall(NUMBER, path.get("d"))]
        return list(zip(numbers[::2], numbers[1::2], strict=True))

    def marks(self, gid: str) -> list[dict]:
        """Return each marker of a scatter group: x, y and its fill colour."""
        uses = self.group(gid).iterfind(".//svg:use", NS)
        return [
            {
                "x": float(u.get("x")),
                "y": float(u.get("y")),
                "fill": _style(u.get("style", "")).get("fill"),
            }
            for u in uses
        ]

    def axes_box(self, number: int = 1) -> tuple[float, float, float, float]:
        """Return (left, top, right, bottom) of the numbered axes' data area."""
        patch = self.group(f"axes_{number}").find("svg:g/svg:path", NS)
        numbers = [float(n) for n in re.findall(NUMBER, patch.get("d"))]
        xs, ys = numbers[::2], numbers[1::2]
        return min(xs), min(ys), max(xs), max(ys)

    def text_positions(self, gid: str) -> list[tuple[str, float, float]]:
        """Return (text, x, y) of each string drawn inside the group."""
        found = []
        for node in self.group(gid).iter(f"{{{NS['svg']}}}text"):
            x, y = _position(node)
            found.append(("".join(node.itertext()).strip(), x, y))
        return found


def _style(text: str) -> dict:
    pairs = (part.split(":", 1) for part in text.split(";") if ":" in part)
    return {k.strip(): v.strip() for k, v in pairs}


def _position(node) -> tuple[float, float]:
    if node.get("x") is not None:
        return float(node.get("x")), float(node.get("y"))
    match = re.search(rf"translate\(({NUMBER})[ ,]+({NUMBER})\)", node.get("transform"))
    return float(match[1]), float(match[2])
