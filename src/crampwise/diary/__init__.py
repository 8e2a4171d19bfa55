"""The cramp diary: records, storage, import/export and statistics.

Importing this package is free; heavy libraries load only with the module that needs them.

- `models`: the shared dataclasses (Episode, DayContext, MedicineChange, LabResult, DiaryData)
- `validate`, `errors`: checks and the errors they raise (pure Python)
- `quick`: `parse_quick()` for "calf left 3/10 2am 2min"
- `exchange`: CSV and JSON export/import, problems reported by line number
- `store`: `DiaryStore` / `open_store()` on SQLite or PostgreSQL (SQLAlchemy Core)
- `schema`, `migrate`, `migrations/`: tables, the UTC and float column types, Alembic
- `stats`: patterns in the diary
"""
