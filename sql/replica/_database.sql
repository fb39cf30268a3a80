-- The replica database beside the wiki's own, as <wiki>_p on Wiki Replicas (whose server charset is binary).
CREATE DATABASE IF NOT EXISTS `{wiki_p}` DEFAULT CHARACTER SET binary;
