package org.campusedge.bridge.osdp;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How the ACU secures one PD.
 *
 * @param key            the PD's secure channel base key (SCBK), when it has one
 * @param installMode    allow the well-known default key SCBK-D — only while provisioning; when
 *                       {@code key} is set too, the ACU sends it with osdp_KEYSET over the
 *                       default-key session and then uses it
 * @param onKeyInstalled told once a PD accepted {@code key} via KEYSET (to store that it is done)
 */
public record OsdpSecurity(Optional<byte[]> key, boolean installMode, Consumer<byte[]> onKeyInstalled) {

    public OsdpSecurity {
        key = key.map(byte[]::clone);
        if (key.isPresent() && key.get().length != 16) {
            throw new IllegalArgumentException("an SCBK is 16 bytes");
        }
        if (key.isEmpty() && !installMode) {
            throw new IllegalArgumentException("a secure PD needs a key, or install mode to use the default key");
        }
        if (key.isPresent() && Arrays.equals(key.get(), OsdpSecureChannel.SCBK_DEFAULT)) {
            throw new IllegalArgumentException("the default key SCBK-D is not a PD's own key; use install mode");
        }
    }

    public static OsdpSecurity withKey(byte[] scbk) {
        return new OsdpSecurity(Optional.of(scbk), false, k -> { });
    }
}
