"""Build a sample week, write its workbook and Word document, and render both to page images to look at them as the office would.

Run: `.venv/bin/python -m bench.render_exports [--out DIR]`. The .xlsx and .docx are always written; with LibreOffice
(`soffice`) and poppler (`pdftoppm`) installed they are also converted to PDF and to one PNG per page.

The files name 宋体, which Linux lacks: fontconfig is pointed at a Song face in its place, the first installed of AR PL
SungtiL GB (fonts-arphic-gbsn00lp; 宋体's metrics: lines 1 em apart, half-width Latin) and Noto Serif CJK SC
(fonts-noto-cjk; lines 1.4 em apart, so the workbook's rows, sized for 宋体, look fuller than in Excel). Column widths
count in Calibri's digits: install fonts-crosextra-carlito (Calibri's metrics), else sheets print smaller than in Excel.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.sample_week import NOTICES, REPORTS, WEEK
from bot.runtime import build_bot
from common.config_loader import config_from_dict
from reports.exports import FORMATS, build_export, export_filename
from reports.week import week_data
from storage.engine import session_scope
from storage.notices import create_notice
from storage.reports import ArticleData, save_report
from tests.support.fakes import FakeMessenger

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 23, 9, tzinfo=TZ)
SONG_FACES = ("AR PL SungtiL GB", "Noto Serif CJK SC")  # the closest to 宋体's metrics first
DPI = 80
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {aliases}
</fontconfig>
"""
ALIAS = '<alias binding="same"><family>{name}</family><prefer><family>{face}</family></prefer></alias>'
SONG_NAMES = ("宋体", "SimSun", "仿宋", "FangSong")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="render-out", help="folder for the files, PDFs and page images (default: ./render-out)")
    out = Path(parser.parse_args(argv).out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    files = write_sample_files(out)
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("LibreOffice (soffice) or pdftoppm not found: wrote the files only:", *files, sep="\n  ")
        return 0
    face = song_face()
    print(f"宋体 stands in as {face}")
    for path in files:
        pages = render(path, out / path.suffix[1:], face)
        print(f"{path.name}: {len(pages)} pages", *pages, sep="\n  ")
    return 0


def write_sample_files(out: Path) -> list[Path]:
    """The sample week in a throw-away SQLite database, exported in every format."""
    with tempfile.TemporaryDirectory() as folder:
        bot = build_bot(sample_config(Path(folder)), messenger=FakeMessenger())
        with session_scope(bot.engine) as session:
            fill(session, bot.calendar)
            data = week_data(session=session, config=bot.config, calendar=bot.calendar, week=WEEK)
        bot.engine.dispose()
    paths = [out / export_filename(WEEK, fmt) for fmt in FORMATS]
    for path, fmt in zip(paths, FORMATS, strict=True):
        path.write_bytes(build_export(data, fmt))
    return paths


def sample_config(folder: Path):
    """The example config's four units, on a SQLite file in `folder`."""
    raw = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    raw["storage"] = {"url": f"sqlite:///{folder}/sample.db"}
    return config_from_dict(raw, source="sample")


def fill(session, calendar) -> None:
    """The sample reports (each unit's, with articles) and notices, stored as the conversations would."""
    for day, (unit_id, by, answers, articles) in enumerate(REPORTS):
        at = MONDAY + timedelta(days=day, hours=day)
        save_report(session=session, unit_id=unit_id, week=WEEK, answers=answers, by=by, at=at,
                    articles=[ArticleData(*a) for a in articles], on_time=not calendar.is_late(WEEK, at), report_date=at.date())
    for unit_id, sent_days, event_days, values in NOTICES:
        at, event_at = MONDAY + timedelta(days=sent_days), MONDAY + timedelta(days=event_days, hours=1)
        lead = (event_at.date() - at.date()).days
        create_notice(session=session, unit_id=unit_id, by="sample", at=at,
                      values={**values, "event_at": event_at, "lead_days": lead, "meets_rule": lead >= 2})


def render(path: Path, folder: Path, face: str) -> list[Path]:
    """`path` to a PDF in `folder` with LibreOffice headless, then one PNG per page with pdftoppm; the images in page order."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    with tempfile.TemporaryDirectory() as profile:
        env = {"FONTCONFIG_FILE": str(fonts_conf(Path(profile), face)), "HOME": profile, "PATH": os.environ.get("PATH", "")}
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), str(path)], check=True, capture_output=True, env=env)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(folder / f"{path.stem}.pdf"), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def song_face() -> str:
    """The installed Song face closest to 宋体."""
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return next((face for face in SONG_FACES if face in installed), SONG_FACES[-1])


def fonts_conf(folder: Path, face: str) -> Path:
    """A fontconfig file that maps the Song names the files use to `face`."""
    path = folder / "fonts.conf"
    aliases = "\n  ".join(ALIAS.format(name=name, face=face) for name in SONG_NAMES)
    path.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
