package org.mailhive.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.Paths;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/** Editing the listener's .cfg moves the listener without a restart (FileInstall → ConfigAdmin → DS). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ListenerReconfigIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return MailhiveOptions.options("reconfig");
    }

    @Test
    public void listenerFollowsPortChangeInCfgFile() throws Exception {
        int oldPort = Integer.parseInt(context.getProperty(MailhiveOptions.PORT_PROPERTY));
        Path cfg = Paths.get(context.getProperty(MailhiveOptions.LISTENER_CFG_PROPERTY));
        Await.until("SMTP greeting on the configured port " + oldPort, () -> SmtpClient.greets(oldPort));

        int newPort = CfgFiles.freePort();
        CfgFiles.set(cfg, "port", Integer.toString(newPort));

        Await.until("SMTP greeting on the new port " + newPort, () -> SmtpClient.greets(newPort));
        Await.until("old port " + oldPort + " closed", () -> !SmtpClient.accepts(oldPort));
    }

    @Test
    public void addingAndDeletingAListenerFileOpensAndClosesItsPort() throws Exception {
        Path mta = Paths.get(context.getProperty(MailhiveOptions.LISTENER_CFG_PROPERTY));
        int port = CfgFiles.freePort();
        Path extra = mta.resolveSibling(CfgFiles.LISTENER_PID + "-extra.cfg");
        // written under a name FileInstall ignores, then moved in: it never sees half a file
        Path tmp = mta.resolveSibling("extra.tmp");
        Files.copy(mta, tmp);
        CfgFiles.set(tmp, "port", Integer.toString(port));
        Files.move(tmp, extra, StandardCopyOption.ATOMIC_MOVE);
        Await.until("new listener greets on " + port, () -> SmtpClient.greets(port));
        Files.delete(extra);
        Await.until("deleted listener's port " + port + " closed", () -> !SmtpClient.accepts(port));
    }
}
