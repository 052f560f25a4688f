package org.homeiq.deploy.model;

/** What the engine knows about HomeIQ: the inventory and the plan, after all files are merged. */
public record Deployment(Inventory inventory, Plan plan) {
}
