package org.campusedge.agent.dashboard;

import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.Version;
import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.campusedge.agent.cli.CampusEdgeCli;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.JournalEntry;
import org.campusedge.bridge.rdm6300.Rdm6300Simulator;
import org.campusedge.bridge.serial.InProcessSerialPipe;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events and health pages in a real headless Chromium: a viewer logs in, two cards are tapped
 * on a simulated reader (one allowed, one unknown), the events page is filtered by room and card,
 * its CSV export is downloaded (to a folder set through Chromium's preferences) and read back, older
 * events are paged in, the keyboard reaches the health page through the header's navigation, which
 * shows the reader, the sensor and the version, and says so when the agent is gone. Also at a
 * phone's width. Saves target/screenshots/events.png, health.png and health-phone.png.
 */
class EventsPageBrowserIT extends ChromiumPageTest {

    private static final String CARD = "0A00D6E3F2";
    private static final String STRANGER = "0B11223344";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USER = "it-viewer";
    private static final String PASSWORD = "correct horse battery";

    EventsPageBrowserIT() {
        super(WAIT);
    }

    @TempDir
    Path dir;

    private InProcessSerialPipe pipe;
    private Path downloads;

    @BeforeEach
    void start() throws Exception {
        DashboardChromium.assumeInstalled();
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-events, school: IT School, time-zone: Asia/Shanghai}
                rooms:
                  - {id: maker-1, name: Maker Space, type: maker-space, capacity: 20}
                  - {id: studio-1, name: Studio, type: recording-studio, capacity: 4}
                readers:
                  - {id: maker-door, protocol: rdm6300, port: inproc, room: maker-1}
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0, users-file: users}
                broker: {bind: [localhost], port: 0}
                mqtt: {url: embedded, status-topic: "events-it/status"}
                sensors:
                  - {preset: json, topic: "school/maker/+/env", room: maker-1}
                """);
        UsersFile.put(dir.resolve("users"), new Account(USER, Role.VIEWER, PasswordHash.create(PASSWORD.toCharArray(), 10_000)));
        Files.writeString(dir.resolve("cards.csv"), "card_id,person,rooms,valid_from,valid_until\n" + CARD + ",S-0117,maker-1,,\n");
        assertThat(CampusEdgeCli.run("cards", "import", "--config", cfg.toString(), "--csv", dir.resolve("cards.csv").toString())).isZero();
        pipe = new InProcessSerialPipe("maker-door");
        pipe.deviceEnd().open();
        agent = Agent.start(AgentConfigLoader.load(cfg), AgentOptions.defaults().withLinks(r -> pipe.hostEnd()));
        sensors = new MqttClient("tcp://127.0.0.1:" + agent.broker().orElseThrow().port(), "events-it", new MemoryPersistence());
        sensors.connect();
        CountDownLatch subscribed = new CountDownLatch(1);
        sensors.subscribe("events-it/status", 1, (topic, message) -> {
            if (new String(message.getPayload(), StandardCharsets.UTF_8).equals("online")) {
                subscribed.countDown();
            }
        });
        assertThat(subscribed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the agent's MQTT ingest says online").isTrue();
        sensors.publish("school/maker/bench-1/env", "{\"temperature\":24.0}".getBytes(StandardCharsets.UTF_8), 1, false);
        downloads = Files.createDirectory(dir.resolve("downloads"));
        browser = DashboardChromium.start(dir, downloads);
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("table[data-table=events] tbody tr"));
    }

    private void tap(String card) throws Exception {
        try (Rdm6300Simulator sim = new Rdm6300Simulator(pipe.deviceEnd())) {
            sim.present(card, Duration.ofMillis(200));
        }
    }

    @Test
    void a_viewer_filters_events_by_room_and_card_exports_them_and_reads_the_health_page() throws Exception {
        browser.get(url("/events"));
        waiting().until(ExpectedConditions.urlContains("/login?next=%2Fevents"));
        browser.findElement(By.id("username")).sendKeys(USER);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        waiting().until(ExpectedConditions.urlToBe(url("/events")));
        assertThat(browser.findElement(By.cssSelector("#site-nav a[data-nav=events]")).getDomAttribute("aria-current")).isEqualTo("page");
        assertThat(browser.findElement(By.cssSelector("#site-nav a[data-nav=rooms]")).getDomAttribute("aria-current")).isNull();
        assertThat(text("#site-nav")).contains("房间", "事件", "运行状态");

        waiting().until(d -> agent.readerCounters("maker-door").online());
        tap(CARD);
        waiting().until(d -> agent.doorStats().granted() == 1);
        tap(STRANGER);
        waiting().until(d -> agent.doorStats().denied() == 1);
        // Older taps in the other room, so that paging has something to page.
        List<JournalEntry> older = new ArrayList<>();
        Instant early = Instant.now().minus(Duration.ofDays(1));
        for (int i = 0; i < 120; i++) {
            older.add(new JournalEntry(EventType.ACCESS_DECISION, early.plusSeconds(i), Optional.of("studio-1"),
                    "{\"card\":\"C" + i + "\",\"granted\":false,\"reason\":\"unknown_card\",\"reader\":\"studio-door\"}"));
        }
        agent.journal().appendAll(older).join();
        waiting().until(d -> agent.journal().query(org.campusedge.agent.journal.EventQuery.latest(1000)).stream()
                .filter(e -> e.type().equals("access.decision")).count() == 122);

        // The default view: every event but sensor readings, 100 a page, then "load older".
        browser.navigate().refresh();
        waiting().until(d -> rows().size() == 100);
        assertThat(text("#events-status")).contains("100");
        browser.findElement(By.id("events-older")).click();
        waiting().until(d -> rows().size() > 100);
        assertThat(rows().get(rows().size() - 1).getText()).contains("C0");
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("events-older")));

        // Filter by room and card.
        waiting().until(d -> new Select(d.findElement(By.id("filter-room"))).getOptions().size() == 3);
        new Select(browser.findElement(By.id("filter-room"))).selectByValue("maker-1");
        browser.findElement(By.id("filter-card")).sendKeys(CARD);
        browser.findElement(By.id("events-apply")).click();
        waiting().until(d -> rows().size() == 1 && rows().get(0).getText().contains(CARD));
        String row = rows().get(0).getText();
        assertThat(row).contains("刷卡", "Maker Space", "S-0117", "准许");
        assertThat(browser.getCurrentUrl()).contains("room=maker-1", "card=" + CARD);
        assertThat(text("table[data-table=events]")).doesNotContain(STRANGER);
        screenshot("events.png");

        // The stranger's tap, by card alone: denied, unknown card, nobody on file.
        WebElement card = browser.findElement(By.id("filter-card"));
        card.clear();
        card.sendKeys(STRANGER);
        browser.findElement(By.id("events-apply")).click();
        waiting().until(d -> rows().size() == 1 && rows().get(0).getText().contains(STRANGER));
        assertThat(rows().get(0).getText()).contains("拒绝", "未知卡", "未登记");

        // Back to the allowed card, then export: the CSV has the rows the table shows, Chinese header.
        card = browser.findElement(By.id("filter-card"));
        card.clear();
        card.sendKeys(CARD);
        browser.findElement(By.id("events-apply")).click();
        waiting().until(d -> rows().size() == 1 && rows().get(0).getText().contains(CARD));
        WebElement export = browser.findElement(By.id("events-export"));
        assertThat(export.getDomAttribute("href")).contains("room=maker-1", "card=" + CARD, "lang=zh-CN");
        export.click();
        Path csv = waitForDownload();
        byte[] bytes = Files.readAllBytes(csv);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        List<String> lines = List.of(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("时间,类型,房间,卡号,人员,结果,详情,数据流,序号");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains(",access.decision,maker-1," + CARD + ",S-0117,granted,").contains("+08:00");
        assertThat(csv.getFileName().toString()).matches("campus-edge-events-\\d{4}-\\d{2}-\\d{2}\\.csv");

        // The keyboard reaches the health page through the navigation.
        WebElement healthLink = browser.findElement(By.cssSelector("#site-nav a[data-nav=health]"));
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        for (int i = 0; i < 10 && !healthLink.equals(browser.switchTo().activeElement()); i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(browser.switchTo().activeElement()).isEqualTo(healthLink);
        healthLink.sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.urlToBe(url("/health")));
        assertThat(browser.findElement(By.cssSelector("#site-nav a[data-nav=health]")).getDomAttribute("aria-current")).isEqualTo("page");
        waitForText("[data-part=summary] [data-fact=version] dd", Version.get());
        waitForText("table[data-table=readers] tr[data-reader=maker-door]", "在线");
        assertThat(text("table[data-table=readers] tr[data-reader=maker-door]")).contains("maker-1");
        waitForText("table[data-table=sensors] tr[data-sensor=bench-1]", "maker-1");
        assertThat(text("[data-part=mqtt] [data-fact=mqtt] dd")).isEqualTo("已连接");
        assertThat(text("[data-part=disk] [data-fact=disk] dd")).matches(".*\\d.*iB.*\\d.*iB.*");
        assertThat(text(".status-badge")).isIn("正常", "部分异常");
        screenshot("health.png");

        // The refresh keeps going: a new tap's count shows without a reload.
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = 'yes';");
        tap(CARD);
        waitForText("table[data-table=readers] tr[data-reader=maker-door] td[data-col=reads]", "3");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument;")).isEqualTo("yes");

        // At a phone's width the navigation is still all there, in English too.
        browser.manage().window().setSize(new Dimension(390, 844));
        new Select(browser.findElement(By.id("lang"))).selectByValue("en");
        waitForText("#site-nav a[data-nav=events]", "Events");
        for (WebElement link : browser.findElements(By.cssSelector("#site-nav a"))) {
            assertThat(link.isDisplayed()).as(link.getText()).isTrue();
            assertThat(link.getRect().getX() + link.getRect().getWidth()).as(link.getText()).isLessThanOrEqualTo(390);
        }
        waitForText("[data-part=readers] h2", "Card readers");
        screenshot("health-phone.png");

        // The agent goes away: the page says so and keeps the last report, marked as old.
        agent.close();
        waitForText("#health-problem", "Cannot reach the controller");
        assertThat(text("#health-checked")).contains("may be out of date");
        assertThat(text("table[data-table=readers]")).contains("maker-door");
    }

    /** The CSV Chromium saved, once it is complete (no .crdownload left). */
    private Path waitForDownload() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).withMessage("a downloaded CSV in " + downloads)
                .until(d -> {
                    try (Stream<Path> files = Files.list(downloads)) {
                        List<Path> all = files.toList();
                        boolean partial = all.stream().anyMatch(p -> p.toString().endsWith(".crdownload"));
                        return partial ? null : all.stream().filter(p -> p.toString().endsWith(".csv")).findFirst().orElse(null);
                    } catch (java.io.IOException e) {
                        return null;
                    }
                });
    }
}
