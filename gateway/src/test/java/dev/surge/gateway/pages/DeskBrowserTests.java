package dev.surge.gateway.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.backoffice.OrderActions;
import dev.surge.gateway.backoffice.OrderSummary;
import dev.surge.gateway.backoffice.ReturnableLine;

/**
 * The agent console and the customer page in headless Chromium against the real gateway (embedded Redis, the
 * simulator): a customer's return fails and they talk to a person from that answer; an agent claims it in the
 * console, sees the failed step in the journey, chats, makes the return for the customer and resolves, while the
 * customer's page follows every step live. Markup in a message stays text; a dropped stream loses no message.
 * Skipped, with the reason, where Chromium is not installed. Fresh customers keep it within the default rate limits.
 */
// A context of its own, closed after: the conversation's events went missing in a context other test classes had
// shared (see ConversationIntegrationTests).
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "surge.desk.test-context=own")
@org.springframework.test.annotation.DirtiesContext
@AutoConfigureWebTestClient
class DeskBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(93_000);

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    BackOfficeClient backOffice;

    @Autowired
    ReactiveStringRedisTemplate redis;

    Browser customer;
    Browser agent;

    /**
     * Skipped per test, not per class: Surefire reports an assumption that fails in {@code @BeforeAll} as no test at
     * all, which would hide the reason. The context is the shared default one, so a skip costs next to nothing.
     */
    @BeforeEach
    void browsers() {
        customer = Browser.open();
        agent = Browser.open();
        new EscalationClient(client, redis).clear();
    }

    @AfterEach
    void close() {
        SimulatorControl.heal(client);
        // How each page looked when the test ended: what to look at first when it failed.
        if (customer != null) {
            customer.screenshot("last-app");
            customer.close();
        }
        if (agent != null) {
            agent.screenshot("last-console");
            agent.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A customer with an order among their newest ten that allows a return now, and its returnable line. */
    private String[] returnableOrder() {
        for (int tries = 0; tries < 300; tries++) {
            String id = "c" + NEXT_CUSTOMER.incrementAndGet();
            for (OrderSummary order : backOffice.orders(id, null, 10).block(WAIT).orders()) {
                OrderActions actions = backOffice.orderActions(id, order.id()).block(WAIT);
                if (actions.returns().allowed()) {
                    ReturnableLine line = actions.returns().lines().stream().filter(l -> l.returnable() > 0)
                            .findFirst().orElse(null);
                    if (line != null) {
                        return new String[] {id, order.id(), line.sku()};
                    }
                }
            }
        }
        throw new AssertionError("no customer with a returnable order among 300");
    }

    private static List<String> texts(Browser browser, String css) {
        return browser.all(css).stream().map(WebElement::getText).toList();
    }

    @Test
    void aFailedReturnIsEscalatedFromItsAnswerAndTheAgentMakesItForTheCustomerWhileTheCustomerWatches() {
        String[] found = returnableOrder();
        String customerId = found[0];
        String orderId = found[1];
        String sku = found[2];

        // The customer's page: sign in, open the order, the return fails (the back office is down for writes).
        customer.get(url("/app/"));
        WebElement id = customer.find("#customer-id");
        id.clear();
        id.sendKeys(customerId, Keys.ENTER);
        customer.find("button[data-order='" + orderId + "']").click();
        WebElement returnButton = customer.find("#action-return");
        customer.screenshot("app-order");
        SimulatorControl.faults(client, "{\"writes\":{\"errorRate\":1.0}}");
        returnButton.click();
        customer.until(d -> !customer.find("#action-result").getText().isEmpty());
        assertThat(customer.find("#action-result").getAttribute("class")).isEqualTo("problem");
        WebElement talk = customer.find("#talk");
        assertThat(customer.find("#help-message").getAttribute("value")).contains(orderId);
        customer.screenshot("app-refused-talk-to-a-person");
        SimulatorControl.heal(client);
        talk.sendKeys(Keys.ENTER); // keyboard: the button has the focus
        customer.until(d -> customer.find("#place").getText().contains("number 1"));
        customer.screenshot("app-waiting");

        // The console: the queue shows it live; claim, the reservation counts down; accept.
        agent.get(url("/console/"));
        agent.find("#agent-id").clear();
        agent.find("#agent-id").sendKeys("a-browser");
        agent.find("#agent-name").clear();
        agent.find("#agent-name").sendKeys("Robin");
        WebElement skills = agent.find("#agent-skills");
        skills.clear();
        skills.sendKeys("returns", Keys.ENTER);
        agent.until(d -> texts(agent, "tr[data-skill='returns'] .depth").contains("1"));
        agent.screenshot("console-queues");
        agent.find("#claim").click();
        assertThat(agent.find("#countdown").getText()).matches("\\d+ s left to accept");
        // The failed step is marked in the journey, with what was tried.
        agent.screenshot("console-offered");
        agent.until(d -> texts(agent, "#journey li.failed").stream()
                .anyMatch(step -> step.contains("POST /api/v1/me/orders/{orderId}/returns → 502")));
        agent.screenshot("console-offered");
        agent.find("#accept").click();
        customer.until(d -> customer.find("#place").getText().contains("Robin is with you"));
        customer.until(d -> texts(customer, "#messages li.system").stream()
                .anyMatch(t -> t.startsWith("Robin joined the conversation")));

        // Chat both ways; markup stays text on both sides and nothing runs.
        String markup = "<script>window.hacked = true</script><b>not bold</b>";
        agent.find("#message-text").sendKeys(markup, Keys.ENTER);
        customer.until(d -> texts(customer, "#messages li.theirs").stream().anyMatch(t -> t.contains(markup)));
        assertThat(customer.script("return window.hacked === true || document.querySelector('#messages b, #messages script') !== null"))
                .isEqualTo(false);
        customer.find("#message-text").sendKeys("Thanks, the parcel is damaged.", Keys.ENTER);
        agent.until(d -> texts(agent, "#messages li.theirs").stream().anyMatch(t -> t.contains("parcel is damaged")));
        assertThat(agent.script("return document.querySelector('#messages b, #messages script') === null"))
                .isEqualTo(true);

        // The customer's connection drops; what the agent says meanwhile arrives once each, in order.
        customer.script("window.surgeApp.chat.stream.drop()");
        agent.find("#message-text").sendKeys("One moment, please.", Keys.ENTER);
        agent.find("#message-text").sendKeys("I am making the return for you.", Keys.ENTER);
        customer.until(d -> texts(customer, "#messages li.theirs").stream()
                .anyMatch(t -> t.contains("I am making the return for you.")));
        List<String> theirs = texts(customer, "#messages li.theirs");
        assertThat(theirs.stream().filter(t -> t.contains("One moment, please.")).count()).isEqualTo(1);
        assertThat(theirs.get(theirs.size() - 2)).contains("One moment, please.");
        customer.screenshot("app-conversation");

        // The agent makes the return for the customer, and resolves.
        new Select(agent.find("#act-sku")).selectByValue(sku);
        agent.find("#act-return").click();
        agent.until(d -> agent.find("#act-result").getText().startsWith("Return "));
        agent.until(d -> texts(agent, "#agent-actions li").stream().anyMatch(a -> a.startsWith("return by a-browser")));
        agent.screenshot("console-story-and-chat");
        WebElement disposition = agent.find("#disposition");
        disposition.clear();
        disposition.sendKeys("return-made", Keys.ENTER);
        agent.find("#work-done");
        customer.until(d -> customer.find("#place").getText().startsWith("Resolved"));
        customer.until(d -> texts(customer, "#messages li.system").stream()
                .anyMatch(t -> t.startsWith("Resolved")));
        customer.screenshot("app-resolved");
        // The customer's page: the return is listed for the order now.
        assertThat(client.get().uri("/api/v1/me/returns").headers(h -> h.setBearerAuth(
                        (String) customer.script("return sessionStorage.getItem('surge.customer.token')")))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().toString())
                .contains(orderId);
    }
}
