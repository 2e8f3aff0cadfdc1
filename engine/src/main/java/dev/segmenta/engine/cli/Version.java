package dev.segmenta.engine.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (set by the build), plus the Java runtime it runs on. */
public final class Version implements IVersionProvider {

    public static String segmenta() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "segmenta " + segmenta(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
