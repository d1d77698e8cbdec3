/*
 * xlsx-bench.c - the yardstick for `make bench`: the least a program can do
 * to put a decision log into a workbook with libxlsxwriter.  It reads every
 * row of decisions in rowid order with SQLite and writes the same cells as
 * Charter's evidence sheets: the system first (Charter's id for the row,
 * which is the log's key when the system sets no log.system_key), then
 * every column, text as strings, numbers as numbers with Charter's number
 * formats, ts as a date-time, in constant-memory mode, continuing on a new
 * sheet past Excel's row limit.  No cleaning, no checks, no other sheets:
 * Charter's export rate divided by this one is the overhead of doing it
 * properly.
 *
 *   xlsx-bench DB OUT.xlsx
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <xlsxwriter.h>

#define MAX_ROWS	1048575
#define MAX_COLS	64

/* Charter's number format of a column, or NULL. */
static const char *
num_format(const char *col)
{
	static const char *const f[][2] = {
		{ "id", "0" }, { "confidence", "0.0%" },
		{ "amount", "#,##0.00" }, { "corrected", "0" },
		{ "cost", "#,##0.00" },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(col, f[i][0]) == 0)
			return f[i][1];
	return NULL;
}

static double
excel_time(const char *ts)
{
	int y, mo, d, h = 0, mi = 0, s = 0;
	long days;

	if (ts == NULL || sscanf(ts, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi,
	    &s) < 3)
		return -1;
	/* Days from civil (Howard Hinnant), then Excel's 1899-12-30 epoch. */
	y -= mo <= 2;
	days = (long)(y >= 0 ? y : y - 399) / 400;
	{
		long yoe = y - days * 400;
		long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = days * 146097 + doe - 719468;
	}
	return (double)days + 25569 + (h * 3600 + mi * 60 + s) / 86400.0;
}

int
main(int argc, char *argv[])
{
	sqlite3 *db;
	sqlite3_stmt *st;
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	lxw_workbook *wb;
	lxw_worksheet *ws = NULL;
	lxw_format *dt, *fmt[MAX_COLS];
	unsigned long long rows = 0;
	unsigned long r = 0;
	int ncol, c, sys = -1, sheet = 0;
	const char *nf;
	char name[32];
	double t;

	if (argc != 3) {
		fprintf(stderr, "usage: xlsx-bench DB OUT.xlsx\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != 0 ||
	    sqlite3_prepare_v2(db, "SELECT * FROM decisions ORDER BY id", -1,
	    &st, NULL) != 0) {
		fprintf(stderr, "xlsx-bench: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	wb = workbook_new_opt(argv[2], &opt);
	dt = workbook_add_format(wb);
	format_set_num_format(dt, "yyyy-mm-dd hh:mm:ss");
	ncol = sqlite3_column_count(st);
	if (ncol > MAX_COLS) {
		fprintf(stderr, "xlsx-bench: too many columns\n");
		return 1;
	}
	for (c = 0; c < ncol; c++) {
		fmt[c] = NULL;
		if ((nf = num_format(sqlite3_column_name(st, c))) != NULL) {
			fmt[c] = workbook_add_format(wb);
			format_set_num_format(fmt[c], nf);
		}
		if (strcmp(sqlite3_column_name(st, c), "system") == 0)
			sys = c;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (ws == NULL || r == MAX_ROWS) {
			snprintf(name, sizeof(name), sheet ? "Decisions (%d)" :
			    "Decisions", sheet + 1);
			ws = workbook_add_worksheet(wb, name);
			sheet++;
			worksheet_write_string(ws, 0, 0, "System", NULL);
			for (c = 0; c < ncol; c++)
				worksheet_write_string(ws, 0, (lxw_col_t)c + 1,
				    sqlite3_column_name(st, c), NULL);
			r = 0;
		}
		r++;
		if (sys >= 0)
			worksheet_write_string(ws, (lxw_row_t)r, 0,
			    (const char *)sqlite3_column_text(st, sys), NULL);
		for (c = 0; c < ncol; c++) {
			const char *col = sqlite3_column_name(st, c);

			switch (sqlite3_column_type(st, c)) {
			case SQLITE_NULL:
				break;
			case SQLITE_INTEGER:
			case SQLITE_FLOAT:
				worksheet_write_number(ws, (lxw_row_t)r,
				    (lxw_col_t)c + 1, sqlite3_column_double(st,
				    c), fmt[c]);
				break;
			default:
				if (strcmp(col, "ts") == 0 && (t = excel_time(
				    (const char *)sqlite3_column_text(st, c)))
				    >= 0)
					worksheet_write_number(ws, (lxw_row_t)r,
					    (lxw_col_t)c + 1, t, dt);
				else
					worksheet_write_string(ws, (lxw_row_t)r,
					    (lxw_col_t)c + 1, (const char *)
					    sqlite3_column_text(st, c), NULL);
			}
		}
		rows++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		fprintf(stderr, "xlsx-bench: cannot write %s\n", argv[2]);
		return 1;
	}
	printf("%llu\n", rows);
	return 0;
}
