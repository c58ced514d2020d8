package org.campusedge.sync.center;

/** The device registry's database failed, or a change to it was refused (a duplicate id, a shared token). */
public final class DeviceStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeviceStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
