package org.campusedge.agent.dashboard;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, as the dashboard's browser tests
 * use it: never Selenium Manager, a fresh profile, Chinese by default, a 1400 x 1000 window.
 */
final class Chromium {

    static final Path BROWSER = Paths.get("/usr/bin/chromium");
    static final Path DRIVER = Paths.get("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** Skips the test (not fails it) where the browser is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "browser test skipped: needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
    }

    /** Starts the browser with its profile in a new directory {@code profile}. */
    static ChromeDriver start(Path profile) throws IOException {
        // Selenium must use the Debian driver and browser and never reach for Selenium Manager.
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectory(profile), "--window-size=1400,1000", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1000));
        return driver;
    }

    /** Saves what the browser shows as target/screenshots/{@code name}. */
    static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path shots = Files.createDirectories(Paths.get("target", "screenshots"));
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shots.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
