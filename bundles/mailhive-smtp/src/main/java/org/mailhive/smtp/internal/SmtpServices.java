package org.mailhive.smtp.internal;

import org.mailhive.api.core.ServerIdentity;
import org.mailhive.api.queue.MessageSink;
import org.mailhive.api.smtp.Check;

/**
 * The services a session uses, read once per operation because each may come and go at any
 * time; null means "not present now" and every caller has an answer for that.
 */
interface SmtpServices {

    ServerIdentity identity();

    MessageSink sink();

    Check check(String name);
}
