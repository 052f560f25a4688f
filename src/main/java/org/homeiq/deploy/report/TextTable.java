package org.homeiq.deploy.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for the stage log whose columns are as wide as their widest cell, header included, two
 * spaces apart; the last column is not padded. Fixed widths broke as soon as an id or a size was
 * longer than the guess.
 */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public TextTable(String... headers) {
        columns = headers.length;
        rows.add(headers.clone());
    }

    public TextTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    /** The header line, then one line per row. */
    public List<String> lines() {
        var widths = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        var out = new ArrayList<String>();
        for (String[] r : rows) {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(r[c]);
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - r[c].length() + 2));
                }
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }
}
