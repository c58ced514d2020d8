package org.campusedge.bridge.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

/**
 * Creates Pi4J contexts. A context is heavyweight (threads, providers): create one per process,
 * share it between doors, and shut it down once.
 */
public final class GpioContexts {

    private GpioContexts() {
    }

    /**
     * Simulated pins only (Pi4J's mock platform): for tests, the demo, and boxes with no door
     * hardware. Outputs keep their state in memory and notify listeners like real ones.
     */
    public static Context mock() {
        return Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
    }

    /** The real GPIO of a Raspberry Pi, via whichever Pi4J provider plugin is installed (gpiod, linuxfs). */
    public static Context auto() {
        return Pi4J.newAutoContext();
    }
}
