-- Run before (re)creating a trigger, and alone when the trigger doesn't apply to this schema.
DROP TRIGGER IF EXISTS `{wiki}`.`{trigger}`;
