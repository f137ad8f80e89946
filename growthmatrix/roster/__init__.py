"""Roster import: schools, teams and people from CSV or XLSX, all or nothing.

Three steps, each a plain function:

1. :func:`~growthmatrix.roster.reading.roster_read` turns an uploaded file into tables (one
   per CSV file, or one per sheet named Schools, Teams or People of a workbook) and refuses,
   with a message a person can act on, a file that is not CSV/XLSX, too large, or has the
   wrong columns.
2. :func:`~growthmatrix.roster.planning.roster_plan` normalizes every row, checks it against
   the file and the database and returns what would be created or updated, with every bad
   row reported by sheet, row number and column. Its ``payload`` is plain JSON, kept between
   preview and confirmation.
3. :func:`~growthmatrix.roster.applying.roster_import_apply` re-plans the payload inside one
   transaction and, only when the whole file is valid, writes it. Rows that would change
   nothing are not written, so importing the same file again changes nothing. New people get
   an email to set their password (queued after the commit).

Each sheet lives in one module of :mod:`growthmatrix.roster.sheets`: its columns, how a row
is read, checked and written. Roles are only ever added by an import, never taken away; an
empty team or schools cell keeps what is there.
"""
