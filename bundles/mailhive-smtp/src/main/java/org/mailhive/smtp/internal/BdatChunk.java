package org.mailhive.smtp.internal;

import org.mailhive.api.mail.SmtpReply;

/**
 * The BDAT chunk being read: its size, whether it ends the message, and, when the command was
 * refused, the reply given once its octets have been consumed.
 */
record BdatChunk(long size, boolean last, SmtpReply refusal) {
}
