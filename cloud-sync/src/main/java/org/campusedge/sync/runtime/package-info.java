/** Small runtime pieces shared by the module's services: thread naming and log rate limiting. */
package org.campusedge.sync.runtime;
