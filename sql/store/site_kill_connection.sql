-- End another MariaDB connection, as a server restart or an idle timeout would (tests only).
KILL :id
