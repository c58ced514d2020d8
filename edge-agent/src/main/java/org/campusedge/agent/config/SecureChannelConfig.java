package org.campusedge.agent.config;

import java.nio.file.Path;

/**
 * OSDP secure channel of one reader.
 *
 * @param keyFile     file holding the reader's secure channel base key as 32 hex digits (mode 0600)
 * @param installMode accept the well-known default key to give the reader its key with KEYSET;
 *                    the key is generated and written to {@code keyFile} when that file does not exist
 */
public record SecureChannelConfig(Path keyFile, boolean installMode) {
}
