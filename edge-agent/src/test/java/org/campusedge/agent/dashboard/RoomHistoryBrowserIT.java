package org.campusedge.agent.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.campusedge.agent.Agent;
import org.campusedge.agent.AgentOptions;
import org.campusedge.agent.auth.Account;
import org.campusedge.agent.auth.PasswordHash;
import org.campusedge.agent.auth.Role;
import org.campusedge.agent.auth.UsersFile;
import org.campusedge.agent.config.AgentConfig;
import org.campusedge.agent.config.AgentConfigLoader;
import org.campusedge.agent.journal.EventJson;
import org.campusedge.agent.journal.EventType;
import org.campusedge.agent.journal.Journal;
import org.campusedge.agent.journal.JournalEntry;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room's page in a real headless Chromium: a manager opens a room with an active alarm (raised
 * by a sensor publishing over the agent's embedded MQTT broker), acknowledges it with a note and
 * sees who acknowledged it, in the room and in the alarm history; then switches the charts to
 * the day and the week (a week of readings journaled before the agent started, which its
 * aggregator summarises at start) and back to the hour, which still updates live. Saves
 * target/screenshots/room-alarm-acknowledged.png and room-history-week.png.
 */
class RoomHistoryBrowserIT extends ChromiumPageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String USER = "it-manager";
    private static final String PASSWORD = "correct horse battery";
    private static final String TOKEN = "it-tools-token-9a3c7e1f0b";
    private static final String ALARM = "maker-hot:maker-1:bench-1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    RoomHistoryBrowserIT() {
        super(WAIT);
    }

    @TempDir
    Path dir;


    @BeforeEach
    void start() throws Exception {
        DashboardChromium.assumeInstalled();
        Path cfg = dir.resolve("agent.yaml");
        Files.writeString(cfg, """
                device: {id: box-history-ui, school: IT School, time-zone: Asia/Shanghai}
                rooms:
                  - {id: maker-1, name: Maker Space, type: maker-space, capacity: 20}
                  - {id: studio-1, name: Studio, type: recording-studio, capacity: 4}
                storage: {path: agent/journal.db, durability: normal}
                http: {bind: [localhost], port: 0, users-file: users, tokens: [{name: it-tools, role: viewer, token-file: it.token}]}
                broker: {bind: [localhost], port: 0}
                mqtt: {url: embedded, status-topic: "history-ui-it/status"}
                sensors:
                  - {preset: json, topic: "school/maker/+/env", room: maker-1}
                alarms:
                  - {id: maker-hot, room-types: [maker-space], metric: temperature, above: 35, hysteresis: 2, for: 1s,
                     severity: critical, message: too hot}
                """);
        UsersFile.put(dir.resolve("users"), new Account(USER, Role.MANAGER, PasswordHash.create(PASSWORD.toCharArray(), 10_000)));
        Files.writeString(dir.resolve("it.token"), TOKEN + "\n");
        AgentConfig config = AgentConfigLoader.load(cfg);
        journalPastWeek(config);
        agent = Agent.start(config, AgentOptions.defaults());
        sensors = new MqttClient("tcp://127.0.0.1:" + agent.broker().orElseThrow().port(), "history-ui-it", new MemoryPersistence());
        sensors.connect();
        CountDownLatch subscribed = new CountDownLatch(1);
        sensors.subscribe("history-ui-it/status", 1, (topic, message) -> {
            if (new String(message.getPayload(), StandardCharsets.UTF_8).equals("online")) {
                subscribed.countDown();
            }
        });
        assertThat(subscribed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the agent's MQTT ingest says online").isTrue();
        browser = DashboardChromium.start(dir, null);
    }

    /**
     * A week of the bench sensor's readings, one every ten minutes up to an hour ago, as the
     * agent's ingest journals them: the agent's aggregator summarises them into per-minute
     * aggregates when it starts, as on a box that was off for a while.
     */
    private static void journalPastWeek(AgentConfig config) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
        List<JournalEntry> readings = new ArrayList<>();
        for (Instant t = end.minus(Duration.ofDays(7)).plusSeconds(600); !t.isAfter(end); t = t.plusSeconds(600)) {
            long i = t.getEpochSecond() / 600;
            readings.add(reading(t, "temperature", "°C", 20 + i % 6));
            readings.add(reading(t, "humidity", "%", 40 + i % 10));
        }
        try (Journal journal = Journal.open(config.storage(), Clock.systemUTC())) {
            journal.appendAll(readings).join();
        }
    }

    private static JournalEntry reading(Instant at, String metric, String unit, double value) {
        return new JournalEntry(EventType.SENSOR_READING, at, Optional.of("maker-1"), String.format(Locale.ROOT,
                "{\"room\":\"maker-1\",\"sensor\":\"bench-1\",\"metric\":\"%s\",\"value\":%s,\"unit\":\"%s\","
                        + "\"topic\":\"school/maker/bench-1/env\"}", metric, value, unit));
    }

    private void publish(String json) throws Exception {
        sensors.publish("school/maker/bench-1/env", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** Waits until the chart of {@code metric} in the {@code range} view has at least {@code buckets} points. */
    private void waitForChart(String range, String metric, int buckets) {
        String css = ".charts[data-range=" + range + "] figure.chart[data-metric=" + metric + "]";
        waiting().withMessage(() -> css + " with at least " + buckets + " buckets").until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && !found.get(0).findElements(By.tagName("canvas")).isEmpty()
                    && Integer.parseInt(found.get(0).getDomAttribute("data-buckets")) >= buckets;
        });
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return EventJson.MAPPER.readTree(r.body());
    }

    private int weekBuckets() {
        try {
            for (JsonNode s : api("/api/rooms/maker-1/history?range=week&metric=humidity").path("series")) {
                return s.path("buckets").size();
            }
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_manager_acknowledges_an_alarm_and_switches_the_charts_to_a_day_and_a_week() throws Exception {
        // The aggregator catches up on the journaled week as the agent starts.
        waiting().withMessage("the past week aggregated").until(d -> weekBuckets() >= 160);
        publish("{\"temperature\":36.5,\"humidity\":41}");
        waiting().withMessage(ALARM + " raised").until(d -> !agent.rooms().state().view("maker-1").orElseThrow().alarms().isEmpty());

        browser.get(url("/rooms/maker-1"));
        waiting().until(ExpectedConditions.urlContains("/login?next="));
        browser.findElement(By.id("username")).sendKeys(USER);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        waiting().until(ExpectedConditions.urlToBe(url("/rooms/maker-1")));
        waitForText("h1.page-title", "Maker Space");

        // The active alarm, with the form only a manager gets; acknowledged with a note.
        String alarm = "li[data-alarm='" + ALARM + "']";
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(alarm + " form.ack-form button.ack")));
        assertThat(browser.findElement(By.cssSelector(alarm + " form.ack-form button.ack")).getText()).isEqualTo("确认告警");
        assertThat(browser.findElement(By.cssSelector(alarm + " form.ack-form label")).getText()).isEqualTo("备注（可选）");
        waitForText("table[data-table=alarm-history] tr[data-alarm='" + ALARM + "'][data-state=active]", "仍在告警");
        browser.findElement(By.cssSelector(alarm + " input.ack-note")).sendKeys("已开窗通风");
        browser.findElement(By.cssSelector(alarm + " form.ack-form button.ack")).click();
        waitForText(alarm + " [data-part=acknowledged]", "已由 " + USER);
        assertThat(browser.findElement(By.cssSelector(alarm + " [data-part=acknowledged]")).getText()).contains("已开窗通风");
        assertThat(browser.findElements(By.cssSelector(alarm + " form.ack-form"))).as("no second acknowledgement offered").isEmpty();
        waitForText("table[data-table=alarm-history] tr[data-alarm='" + ALARM + "']", "已由 " + USER);
        assertThat(api("/api/rooms/maker-1").path("alarms").get(0).path("acknowledged").path("by").asText()).isEqualTo(USER);
        screenshot("room-alarm-acknowledged.png");

        // The hour view first: the live minute and the last hour.
        WebElement hour = browser.findElement(By.cssSelector("button[data-range=hour]"));
        assertThat(hour.getDomAttribute("aria-pressed")).isEqualTo("true");
        waitForChart("hour", "temperature", 1);

        // A day in quarter hours, by mouse.
        browser.findElement(By.cssSelector("button[data-range=day]")).click();
        waiting().until(ExpectedConditions.attributeToBe(By.cssSelector("button[data-range=day]"), "aria-pressed", "true"));
        assertThat(hour.getDomAttribute("aria-pressed")).isEqualTo("false");
        waitForChart("day", "humidity", 80);
        waitForChart("day", "temperature", 80);
        waitForText("#charts-title", "最近 24 小时");

        // A week in hours, by keyboard: focus the button and press Enter.
        WebElement week = browser.findElement(By.cssSelector("button[data-range=week]"));
        week.sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.attributeToBe(By.cssSelector("button[data-range=week]"), "aria-pressed", "true"));
        waitForChart("week", "humidity", 160);
        waitForChart("week", "temperature", 160);
        assertThat(browser.findElement(By.cssSelector("button[data-range=day]")).getDomAttribute("aria-pressed")).isEqualTo("false");
        screenshot("room-history-week.png");

        // English, then back to the hour, which keeps following the sensor live.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("lang"))).selectByValue("en");
        waitForText("#charts-title", "Last 7 days");
        waitForText("button[data-range=week]", "Week");
        waitForChart("week", "humidity", 160);
        browser.findElement(By.cssSelector("button[data-range=hour]")).click();
        waitForChart("hour", "temperature", 1);
        publish("{\"temperature\":37.5}");
        waitForText(".charts[data-range=hour] figure.chart[data-metric=temperature] .current", "37.5");
        waitForText(alarm + " [data-part=acknowledged]", "Acknowledged by " + USER);
    }
}
