/** Small disk helpers shared by the bundles that make mail durable (queue, mailbox stores). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.mailhive.api.io;
