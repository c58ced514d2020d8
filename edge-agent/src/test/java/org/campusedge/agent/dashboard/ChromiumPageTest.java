package org.campusedge.agent.dashboard;

import org.campusedge.agent.Agent;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * What the dashboard's browser tests share: an agent, the MQTT client its simulated sensors
 * publish with and a Chromium, all closed after each test (whichever the test started), and
 * waiting on what the page shows. Each test class starts them its own way.
 */
abstract class ChromiumPageTest {

    protected Agent agent;
    protected MqttClient sensors;
    protected ChromeDriver browser;
    private final Duration wait;

    /** @param wait how long {@link #waiting()} waits for the page */
    protected ChromiumPageTest(Duration wait) {
        this.wait = wait;
    }

    @AfterEach
    void closeBrowserSensorsAndAgent() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (sensors != null) {
            if (sensors.isConnected()) {
                sensors.disconnect();
            }
            sensors.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    protected String url(String path) {
        return "http://127.0.0.1:" + agent.httpPort() + path;
    }

    protected WebDriverWait waiting() {
        return new WebDriverWait(browser, wait, Duration.ofMillis(50));
    }

    protected String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    protected void waitForText(String css, String expected) {
        waiting().withMessage(() -> css + " to read \"" + expected + "\"")
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), expected));
    }

    /** Saves what the browser shows as target/screenshots/{@code name}. */
    protected void screenshot(String name) throws Exception {
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shots.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
