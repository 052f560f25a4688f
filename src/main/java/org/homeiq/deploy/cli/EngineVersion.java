package org.homeiq.deploy.cli;

import picocli.CommandLine.IVersionProvider;

/** The engine version, from the jar manifest (the steps pin it); "dev" when run from classes. */
public final class EngineVersion implements IVersionProvider {
    public static String current() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"homeiq-deploy " + current()};
    }
}
