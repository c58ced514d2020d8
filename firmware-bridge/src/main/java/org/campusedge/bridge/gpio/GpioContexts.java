package org.campusedge.bridge.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

/**
 * Creates Pi4J contexts. A context is heavyweight (its own threads, providers, native libraries):
 * create one per process, share it between doors ({@link GpioDoor} never shuts it down), and call
 * {@link Context#shutdown()} once when the process stops. Contexts are thread-safe.
 */
public final class GpioContexts {

    private GpioContexts() {
    }

    /**
     * Simulated pins only, built explicitly from Pi4J's mock platform and mock digital providers
     * (no classpath scanning): for tests, the demo, and boxes with no door hardware. Outputs keep
     * their state in memory and notify listeners like real ones.
     */
    public static Context mock() {
        return Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
    }

    /**
     * The real GPIO of a Raspberry Pi, via whichever Pi4J provider plugin is on the runtime
     * classpath (gpiod preferred, linuxfs as fallback, by Pi4J provider priority). Pi4J 2.8 loads
     * its mock plugin only when not running on a Pi ({@code DefaultContextBuilder} sets
     * {@code autoDetectMockPlugins = !BoardInfoHelper.runningOnRaspberryPi()}), so elsewhere this
     * quietly yields mock pins rather than failing.
     */
    public static Context auto() {
        return Pi4J.newAutoContext();
    }
}
