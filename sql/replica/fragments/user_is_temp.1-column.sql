-- requires: user.user_is_temp
user_is_temp
