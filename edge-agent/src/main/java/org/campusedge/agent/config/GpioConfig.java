package org.campusedge.agent.config;

/**
 * GPIO provider selection.
 *
 * @param provider {@code MOCK} in tests, the demo and boxes without door hardware; {@code AUTO} on a Pi
 */
public record GpioConfig(Provider provider) {

    public enum Provider { MOCK, AUTO }
}
