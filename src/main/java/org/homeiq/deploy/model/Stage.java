package org.homeiq.deploy.model;

import java.util.List;

/**
 * A deployment day or a rebuild phase: a numbered, ordered list of waves.
 *
 * @param kind {@link Kind#DAY} or {@link Kind#PHASE}
 * @param number day 1-5 or phase 0-4
 * @param title the plan's heading
 * @param waves the waves in the plan's order
 */
public record Stage(Kind kind, int number, String title, List<Wave> waves) {
    public enum Kind {
        DAY,
        PHASE;

        public String label() {
            return this == DAY ? "Day" : "Phase";
        }
    }

    public Stage {
        waves = List.copyOf(waves);
    }

    public String label() {
        return kind.label() + " " + number;
    }
}
