"""The reporting domain shared by chat, CLI and jobs: week status, week data, the workbook, Chinese labels, unit matching."""
