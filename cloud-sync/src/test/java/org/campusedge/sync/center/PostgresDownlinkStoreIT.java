package org.campusedge.sync.center;

import java.sql.SQLException;

/** The {@link DownlinkStoreContract} on a real PostgreSQL, each test in its own schema. */
class PostgresDownlinkStoreIT extends DownlinkStoreContract {

    private PostgresTestSchema schema;

    @Override
    protected void createDatabase() throws SQLException {
        schema = PostgresTestSchema.create();
    }

    @Override
    protected DownlinkStore openStore() {
        return DownlinkStore.postgres(schema.url(), PostgresTestSchema.USER, null);
    }

    @Override
    protected void dropDatabase() throws SQLException {
        schema.close();
    }
}
