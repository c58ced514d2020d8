package org.campusedge.agent.dashboard;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.http.RoomsApi;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium; never Selenium Manager): a real agent with three rooms, a card reader on an
 * in-process link, the embedded MQTT broker and a manager account. A visitor is sent to the
 * log-in page, a wrong password is refused there, the right one opens the grid; the grid renders every room, a sensor reading
 * and a card tap show up live without a reload, the language switches and is remembered, a
 * room's page draws a uPlot chart and lists the tap, and the page says "stale" once the agent is
 * gone. Saves screenshots to target/screenshots/: room-grid.png (Chinese, the default), room-grid-en.png
 * and room-detail.png.
 */
class DashboardBrowserIT extends ChromiumPageTest {

    private static final String CARD = "0A00D6E3F2";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USER = "it-manager";
    private static final String PASSWORD = "correct horse battery";
    private static final String TOKEN = "it-tools-token-5b0e3f2c9d";

    DashboardBrowserIT() {
        super(WAIT);
    }

    @TempDir
    Path dir;

    private InProcessSerialPipe pipe;

    @BeforeEach
    void start() throws Exception {
        DashboardChromium.assumeInstalled();
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-dash, school: IT School, time-zone: Asia/Shanghai}
                rooms:
                  - {id: maker-1, name: Maker Space, type: maker-space, capacity: 20}
                  - {id: studio-1, name: Studio, type: recording-studio, capacity: 4}
                  - {id: robotics-1, name: Robotics Lab, type: robotics-lab, capacity: 24}
                readers:
                  - {id: maker-door, protocol: rdm6300, port: inproc, room: maker-1}
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0, users-file: users, tokens: [{name: it-tools, role: viewer, token-file: it.token}]}
                broker: {bind: [localhost], port: 0}
                mqtt: {url: embedded, status-topic: "dash-it/status"}
                sensors:
                  - {preset: json, topic: "school/maker/+/env", room: maker-1}
                  - {preset: json, topic: "school/studio/+/env", room: studio-1}
                """);
        org.campusedge.agent.auth.UsersFile.put(dir.resolve("users"), new org.campusedge.agent.auth.Account(USER,
                org.campusedge.agent.auth.Role.MANAGER,
                org.campusedge.agent.auth.PasswordHash.create(PASSWORD.toCharArray(), 10_000)));
        Files.writeString(dir.resolve("it.token"), TOKEN + "\n");
        Files.writeString(dir.resolve("cards.csv"), "card_id,person,rooms,valid_from,valid_until\n" + CARD + ",S-0117,maker-1,,\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", dir.resolve("cards.csv").toString())).isZero();
        pipe = new InProcessSerialPipe("maker-door");
        pipe.deviceEnd().open();
        agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults().withLinks(r -> pipe.hostEnd()));
        sensors = new MqttClient("tcp://127.0.0.1:" + agent.broker().orElseThrow().port(), "dashboard-it", new MemoryPersistence());
        sensors.connect();
        // The agent's ingest publishes a retained "online" once it has subscribed; readings before that are lost.
        CountDownLatch subscribed = new CountDownLatch(1);
        sensors.subscribe("dash-it/status", 1, (topic, message) -> {
            if (new String(message.getPayload(), StandardCharsets.UTF_8).equals("online")) {
                subscribed.countDown();
            }
        });
        assertThat(subscribed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the agent's MQTT ingest says online").isTrue();
        publish("school/maker/bench-1/env", "{\"temperature\":24.0,\"humidity\":40}");
        publish("school/studio/desk/env", "{\"co2\":640}");
        browser = chromium();
    }

    private ChromeDriver chromium() throws Exception {
        return DashboardChromium.start(dir, null);
    }

    private void publish(String topic, String json) throws Exception {
        sensors.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** Opens {@code path}, which sends the browser to the log-in page, and logs in there. */
    private void logIn(String path) {
        browser.get(url(path));
        waiting().until(ExpectedConditions.urlContains("/login?next="));
        browser.findElement(By.id("username")).sendKeys(USER);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        waiting().until(d -> !d.getCurrentUrl().contains("/login"));
    }

    @Test
    void a_visitor_sees_the_log_in_page_a_wrong_password_is_refused_and_logging_out_ends_the_session() throws Exception {
        browser.get(url("/rooms/maker-1"));
        waiting().until(ExpectedConditions.urlContains("/login?next=%2Frooms%2Fmaker-1"));
        assertThat(browser.findElements(By.cssSelector("article.card"))).as("no room data before logging in").isEmpty();
        assertThat(text("h1")).isEqualTo("登录设施看板");
        assertThat(browser.findElement(By.cssSelector("label[for=password]")).getText()).isEqualTo("密码");
        browser.findElement(By.id("username")).sendKeys(USER);
        browser.findElement(By.id("password")).sendKeys("not the password");
        browser.findElement(By.id("login-submit")).click();
        waitForText("#login-message", "用户名或密码错误");
        new Select(browser.findElement(By.id("lang"))).selectByValue("en");
        waitForText("h1", "Log in to the facilities dashboard");
        waitForText("#login-message", "Wrong user name or password.");
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                Files.createDirectories(Paths.get("target", "screenshots")).resolve("log-in.png"), StandardCopyOption.REPLACE_EXISTING);

        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        waiting().until(ExpectedConditions.urlToBe(url("/rooms/maker-1")));
        waitForText("h1.page-title", "Maker Space");
        waitForText("#who", USER + " (manager)");
        assertThat(browser.manage().getCookies()).as("the session cookie is out of the scripts' reach")
                .allSatisfy(c -> assertThat(c.isHttpOnly()).isTrue());
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie;")).isEqualTo("");

        browser.findElement(By.id("logout")).click();
        waiting().until(ExpectedConditions.urlContains("/login"));
        browser.get(url("/"));
        waiting().until(ExpectedConditions.urlContains("/login?next=%2F"));
    }

    @Test
    void the_grid_updates_live_switches_language_and_a_room_page_draws_charts() throws Exception {
        logIn("/");
        waiting().until(ExpectedConditions.attributeToBe(By.id("conn"), "data-state", "live"));
        List<WebElement> cards = browser.findElements(By.cssSelector("article.card[data-room]"));
        assertThat(cards).extracting(c -> c.getDomAttribute("data-room")).containsExactly("maker-1", "studio-1", "robotics-1");
        assertThat(text("[data-room=maker-1] h2")).isEqualTo("Maker Space");
        assertThat(text("[data-room=robotics-1] h2")).isEqualTo("Robotics Lab");

        // Chinese by default.
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("zh-CN");
        assertThat(text("[data-room=maker-1] .room-type")).isEqualTo("创客空间");
        assertThat(text("[data-room=maker-1] [data-part=occupancy] .label")).isEqualTo("在场人数");
        assertThat(text("#conn-text")).isEqualTo("实时");

        // Live, without a reload: a reading, then a card tap.
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = 'yes';");
        waitForText("[data-room=maker-1] [data-metric=temperature] .value", "24.0");
        publish("school/maker/bench-1/env", "{\"temperature\":31.5,\"humidity\":42}");
        waitForText("[data-room=maker-1] [data-metric=temperature] .value", "31.5");
        waitForText("[data-room=maker-1] [data-metric=temperature] dt", "温度");
        waitForText("[data-room=studio-1] [data-metric=co2] .value", "640");
        assertThat(text("[data-room=maker-1] [data-metric=temperature] .unit")).contains("°C");
        waiting().until(d -> agent.readerCounters("maker-door").online());
        try (Rdm6300Simulator sim = new Rdm6300Simulator(pipe.deviceEnd())) {
            sim.present(CARD, Duration.ofMillis(200));
        }
        waitForText("[data-room=maker-1] [data-part=occupancy] .value", "1 / 20");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument;")).isEqualTo("yes");

        // A manager switches the school to lockdown from the page (its CSRF token travels with it), and back.
        assertThat(browser.findElement(By.id("mode-control")).isDisplayed()).isTrue();
        new Select(browser.findElement(By.id("mode-select"))).selectByValue("lockdown");
        browser.findElement(By.id("mode-apply")).click();
        waitForText("#mode-result", "请填写原因");
        browser.findElement(By.id("mode-reason")).sendKeys("消防演练");
        browser.findElement(By.id("mode-apply")).click();
        waitForText("#mode", "门禁模式：封锁");
        assertThat(agent.decider().mode().wireName()).isEqualTo("lockdown");
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/api/events?type=access.mode")))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("\"by\":\"" + USER + "\"", "消防演练");
        new Select(browser.findElement(By.id("mode-select"))).selectByValue("normal");
        browser.findElement(By.id("mode-reason")).sendKeys("演练结束");
        browser.findElement(By.id("mode-apply")).click();
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("mode")));
        assertThat(agent.decider().mode().wireName()).isEqualTo("normal");

        // English, remembered across a reload; then back to Chinese.
        new Select(browser.findElement(By.id("lang"))).selectByValue("en");
        waitForText("[data-room=maker-1] .room-type", "Maker space");
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");
        assertThat(text("[data-room=maker-1] [data-metric=temperature] dt")).isEqualTo("Temperature");
        assertThat(text("[data-room=maker-1] [data-part=occupancy] .label")).isEqualTo("Occupancy");
        browser.navigate().refresh();
        waitForText("[data-room=studio-1] .room-type", "Recording studio");
        waiting().until(ExpectedConditions.attributeToBe(By.id("conn"), "data-state", "live"));
        waitForText("[data-room=maker-1] [data-metric=temperature] .value", "31.5");
        Path shots = Files.createDirectories(Paths.get("target", "screenshots"));
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), shots.resolve("room-grid-en.png"), StandardCopyOption.REPLACE_EXISTING);
        new Select(browser.findElement(By.id("lang"))).selectByValue("zh-CN");
        waitForText("[data-room=maker-1] .room-type", "创客空间");
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("room-grid.png"),
                StandardCopyOption.REPLACE_EXISTING);

        // The keyboard reaches a room's page: its link is the card's heading link.
        WebElement link = browser.findElement(By.cssSelector("[data-room=maker-1] a.room-link"));
        assertThat(link.getDomProperty("href")).endsWith("/rooms/maker-1");
        link.click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("figure.chart[data-metric=temperature] canvas")));
        assertThat(browser.getCurrentUrl()).endsWith("/rooms/maker-1");
        assertThat(text("h1.page-title")).isEqualTo("Maker Space");
        waitForText("table[data-table=occupants]", "S-0117");
        waitForText("table[data-table=taps]", CARD);
        assertThat(text("table[data-table=taps]")).contains("准许");
        publish("school/maker/bench-1/env", "{\"temperature\":33.0}");
        waitForText("figure.chart[data-metric=temperature] .current", "33.0");
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("room-detail.png"),
                StandardCopyOption.REPLACE_EXISTING);

        // The agent goes away: the page says its data is stale.
        agent.close();
        waiting().until(ExpectedConditions.attributeToBe(By.id("conn"), "data-state", "stale"));
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("stale-banner")));
        assertThat(text("#stale-banner")).contains("连接已断开");
    }

    @Test
    void the_rooms_snapshot_tells_the_stream_position_it_is_current_to() throws Exception {
        HttpResponse<String> rooms = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/api/rooms")))
                        .header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rooms.statusCode()).isEqualTo(200);
        assertThat(rooms.headers().firstValue(RoomsApi.STREAM_POSITION)).hasValueSatisfying(id -> assertThat(id).matches(".+-\\d+"));
    }

    @Test
    void an_unknown_room_page_says_so_and_links_back() {
        logIn("/rooms/no-such-room");
        waitForText("h1.page-title", "no-such-room");
        assertThat(browser.findElement(By.cssSelector("a.back")).getDomProperty("href")).endsWith("/");
    }
}
