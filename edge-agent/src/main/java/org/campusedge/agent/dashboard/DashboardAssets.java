package org.campusedge.agent.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The complete, fixed set of files the dashboard serves, keyed by the exact request path. Each
 * path maps to one classpath resource named here in code, read once at start. Nothing in a
 * request is ever turned into a resource name or a file name, so {@code ..}, {@code %2e%2e},
 * backslashes, absolute paths or NUL bytes in a request cannot reach any other file: a path
 * that is not a key of this table is simply not an asset.
 *
 * <p>Immutable after construction; read concurrently by the HTTP server's workers.
 */
final class DashboardAssets {

    /** Where the dashboard's own files live on the classpath (edge-agent src/main/resources/dashboard/). */
    private static final String OWN = "dashboard/";
    /** Maven metadata inside the uPlot WebJar: tells its version, and so where its files are. */
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    static final String HTML = "text/html; charset=utf-8";
    static final String JS = "text/javascript; charset=utf-8";
    static final String CSS = "text/css; charset=utf-8";
    static final String SVG = "image/svg+xml";

    /** Our files and uPlot's: revalidated on every use (a 304 when unchanged), so an upgrade shows at once. */
    private static final String REVALIDATE = "no-cache";

    /** The page shell, served at {@code /}, at every room's page, at {@code /events} and {@code /health}. */
    private final StaticAsset page;
    /** The log-in page, served at {@code /login}. */
    private final StaticAsset loginPage;
    private final Map<String, StaticAsset> byPath;

    private DashboardAssets(StaticAsset page, StaticAsset loginPage, Map<String, StaticAsset> byPath) {
        this.page = page;
        this.loginPage = loginPage;
        this.byPath = Map.copyOf(byPath);
    }

    /**
     * Reads every asset from {@code loader}.
     *
     * @throws IllegalStateException naming the resource, if one is missing (a broken build)
     */
    static DashboardAssets load(ClassLoader loader) {
        String uplot = uplotVersion(loader);
        String uplotDist = "META-INF/resources/webjars/uplot/" + uplot + "/dist/";
        Map<String, StaticAsset> assets = new LinkedHashMap<>();
        own(assets, loader, "app.js", JS);
        own(assets, loader, "messages.js", JS);
        own(assets, loader, "format.js", JS);
        own(assets, loader, "live.js", JS);
        own(assets, loader, "grid.js", JS);
        own(assets, loader, "room.js", JS);
        own(assets, loader, "historycharts.js", JS);
        own(assets, loader, "alarmpanel.js", JS);
        own(assets, loader, "session.js", JS);
        own(assets, loader, "login.js", JS);
        own(assets, loader, "modecontrol.js", JS);
        own(assets, loader, "events.js", JS);
        own(assets, loader, "health.js", JS);
        own(assets, loader, "zonedtime.js", JS);
        own(assets, loader, "dashboard.css", CSS);
        own(assets, loader, "pages.css", CSS);
        own(assets, loader, "icons.svg", SVG);
        assets.put("/vendor/uplot/uPlot.iife.min.js", read(loader, uplotDist + "uPlot.iife.min.js", JS));
        assets.put("/vendor/uplot/uPlot.min.css", read(loader, uplotDist + "uPlot.min.css", CSS));
        return new DashboardAssets(read(loader, OWN + "index.html", HTML), read(loader, OWN + "login.html", HTML), assets);
    }

    /** The HTML shell every dashboard page starts from. */
    StaticAsset page() {
        return page;
    }

    /** The log-in page. */
    StaticAsset loginPage() {
        return loginPage;
    }

    /** Every asset by its request path, e.g. {@code /assets/app.js}. */
    Map<String, StaticAsset> byPath() {
        return byPath;
    }

    /** The asset at exactly {@code path}, if the table has one. */
    Optional<StaticAsset> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static void own(Map<String, StaticAsset> assets, ClassLoader loader, String name, String type) {
        assets.put("/assets/" + name, read(loader, OWN + name, type));
    }

    private static StaticAsset read(ClassLoader loader, String resource, String type) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset " + resource + " is missing from the classpath");
            }
            return StaticAsset.of(type, REVALIDATE, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard asset " + resource, e);
        }
    }

    private static String uplotVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (!v.matches("[0-9A-Za-z.+-]{1,40}")) {
                throw new IllegalStateException(UPLOT_POM + " names no usable version: \"" + v + "\"");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
        }
    }
}
