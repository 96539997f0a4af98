"""Independent check of an .xlsx file with openpyxl: prints what a spreadsheet program would see, as JSON."""
import json
import sys

import openpyxl

# A file object: openpyxl judges a path by its extension, a stream by its content.
wb = openpyxl.load_workbook(open(sys.argv[1], "rb"))
out = {"sheets": []}
for ws in wb.worksheets:
    rows = list(ws.iter_rows(min_row=1, max_row=min(ws.max_row, int(sys.argv[2]) if len(sys.argv) > 2 else 5)))
    out["sheets"].append(
        {
            "name": ws.title,
            "maxRow": ws.max_row,
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "headerBold": [c.font.b for c in rows[0]] if rows else [],
            "notes": {c.coordinate: c.comment.text for c in rows[0] if c.comment} if rows else {},
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "cells": [
                [
                    {
                        "type": c.data_type,
                        "isDate": c.is_date,
                        "format": c.number_format,
                        "value": c.value.isoformat() if hasattr(c.value, "isoformat") else c.value,
                    }
                    for c in r
                ]
                for r in rows
            ],
        }
    )
print(json.dumps(out))
